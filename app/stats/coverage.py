"""Which of the report's 132 figures have their numbers in the graph.

``coverage(store)`` returns one :class:`FigureCoverage` per figure 1..132:

- ``in-graph``: a qb:DataSet derived from the figure has n observations;
- ``chart-only``: the figure is a chart whose numbers are not in the text (mkg:chartOnly true);
- ``not-yet``: no data set (reason says whether the figure is at least declared in data/ttl/figuren.ttl),
  or a data set that has neither observations nor mkg:chartOnly.
"""
from __future__ import annotations

from pathlib import Path

import re
from dataclasses import dataclass

N_FIGURES = 132
FIGURE_BASE = "https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025/figuur/"

QUERY_DIR = Path(__file__).resolve().parent / "queries"


def _query(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")



@dataclass(frozen=True)
class FigureCoverage:
    figure: int
    status: str  # "in-graph" | "chart-only" | "not-yet"
    observations: int = 0
    dataset: str = ""
    reason: str = ""

    def __str__(self) -> str:
        if self.status == "in-graph":
            return f"Figuur {self.figure}: in graph ({self.observations} observations)"
        if self.status == "chart-only":
            return f"Figuur {self.figure}: chart-only"
        return f"Figuur {self.figure}: not yet ({self.reason})"


def coverage(store) -> list[FigureCoverage]:
    declared = set()
    for r in store.select(_query("figures")):
        try:
            declared.add(int(str(r["n"])))
        except (KeyError, ValueError):
            pass
    found: dict[int, FigureCoverage] = {}
    for r in store.select(_query("figure-datasets")):
        m = re.search(r"/figuur/(\d+)$", str(r["fig"]))
        if not m:
            continue
        n = int(m.group(1))
        count = int(str(r.get("n", 0)))
        chart = str(r.get("chartOnly", "")).lower() in ("true", "1")
        if count:
            cov = FigureCoverage(n, "in-graph", count, str(r["ds"]))
        elif chart:
            cov = FigureCoverage(n, "chart-only", 0, str(r["ds"]))
        else:
            cov = FigureCoverage(n, "not-yet", 0, str(r["ds"]), "data set has no observations and is not chart-only")
        prev = found.get(n)
        if prev is None or (prev.status != "in-graph" and cov.status == "in-graph"):
            found[n] = cov
    out = []
    for n in range(1, N_FIGURES + 1):
        if n in found:
            out.append(found[n])
        elif n in declared:
            out.append(FigureCoverage(n, "not-yet", reason=f"no data set; add data/stats/figuur-{n:03d}.csv"))
        else:
            out.append(FigureCoverage(n, "not-yet", reason="figure not declared in data/ttl/figuren.ttl and no data set"))
    return out


def summary(rows: list[FigureCoverage]) -> str:
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("in-graph", "chart-only", "not-yet")}
    obs = sum(r.observations for r in rows)
    return (f"{counts['in-graph']} figures in graph ({obs} observations), {counts['chart-only']} chart-only, "
            f"{counts['not-yet']} not yet, of {len(rows)}")


def main() -> int:
    from app import loader
    from app.store import open_store

    store = open_store("oxigraph")
    loader.fill(store, loader.read_dataset())
    rows = coverage(store)
    for r in rows:
        print(r)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
