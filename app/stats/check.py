"""Consistency checks of the statistics in a store.

- :func:`check_stats` recomputes every published change (``mkg:changeFrom``/``mkg:changeTo``, from the CSV column
  ``change-of``) and every published total (``mkg:sumOf``, from ``sum-of``) and compares them with what the report
  prints, within the rounding that Bijlage IV Methodologie implies:

  * counts are rounded to tens (a printed ``4.280`` stands for 4.275 up to 4.284, we allow +-5); numbers that are
    not multiples of ten are taken as unrounded (CBS and Eurostat figures), multiples of five as rounded to fives;
  * ``<5`` stands for 1-4, ``<10`` for 1-9, and a printed ``10`` for 5-14 (5-10 is rounded up to 10);
  * ``n.v.t.`` and ``-`` count as 0 in a total and make a change uncomputable;
  * percentages are computed on the unrounded numbers and printed whole (+-0,5) or with the decimals printed.

  A published total must lie in the interval the parts allow; a published change must overlap the interval of
  changes the (rounded) old and new values allow. Every mismatch is a :class:`Discrepancy`.

- :func:`datacube_integrity` runs the W3C RDF Data Cube well-formedness constraints IC-1 ... IC-21
  (``app/stats/queries/ic-*.rq``) and returns their findings.

Both work on any object with ``select(query, bindings=None) -> list[dict]`` (see app/store.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef

QUERY_DIR = Path(__file__).resolve().parent / "queries"
MKG = "https://w3id.org/migratie-kg/def#"


def _query(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")



@dataclass(frozen=True)
class Discrepancy:
    figure: str  # "Figuur 53" or "Sectie 4.3.1"
    kind: str  # "change" or "sum"
    expected: str
    published: str
    message: str
    observation: str = ""

    def __str__(self) -> str:
        return f"{self.figure}: {self.kind}: published {self.published}, expected {self.expected}: {self.message}"


@dataclass(frozen=True)
class Violation:
    ic: str  # "IC-12"
    title: str
    focus: str
    detail: str
    severity: str = "violation"  # or "info" (documented deviations, see the query header)

    def __str__(self) -> str:
        return f"{self.ic} {self.title}: {self.focus}: {self.detail}"


@dataclass
class Obs:
    iri: str
    source: str
    published: str
    status: str
    measure: str | None
    value: Decimal | None


def _local(iri) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def source_label(src: str) -> str:
    m = re.search(r"/figuur/(\d+)$", src)
    if m:
        return f"Figuur {m.group(1)}"
    m = re.search(r"/sectie/([^/]+)$", src)
    if m:
        return f"Sectie {m.group(1)}"
    return src


def _observations(store) -> dict[str, Obs]:
    out: dict[str, Obs] = {}
    for r in store.select(_query("compared-values")):
        iri = str(r["o"])
        o = out.get(iri)
        if o is None:
            o = out[iri] = Obs(iri, source_label(str(r.get("src", r.get("ds", "")))), str(r["pub"]),
                               _local(r["status"]) if "status" in r else "ExactValue", None, None)
        if "m" in r and o.measure is None:
            o.measure = _local(r["m"])
        if "v" in r and o.value is None:
            try:
                o.value = Decimal(str(r["v"]))
            except ArithmeticError:
                pass
            if "m" in r:
                o.measure = _local(r["m"])
    return out


def _decimals(published: str) -> int:
    m = re.search(r",(\d+)", published)
    return len(m.group(1)) if m else 0


def interval(o: Obs) -> tuple[Decimal, Decimal] | None:
    """The range of true values the published value allows (None when it carries no number)."""
    if o.status == "CensoredBelow5":
        return Decimal(1), Decimal(4)
    if o.status == "CensoredBelow10":
        return Decimal(1), Decimal(9)
    if o.status == "NotApplicable":
        return Decimal(0), Decimal(0)
    if o.value is None or o.status in ("TextualValue", "LowerBound", "UpperBound", "Approximate"):
        return None
    v = o.value
    if o.measure in (None, "count"):
        if "miljoen" in o.published or "miljard" in o.published:
            half = Decimal(10) ** (6 - _decimals(o.published)) / 2
            if "miljard" in o.published:
                half *= 1000
            return v - half, v + half
        if v == 10:
            return Decimal(5), Decimal(15)
        if v % 10 == 0 and abs(v) >= 10:
            return v - 5, v + 5
        if v % 5 == 0 and abs(v) >= 5:
            return v - Decimal("2.5"), v + Decimal("2.5")
        return v, v
    half = Decimal(1) / (Decimal(10) ** _decimals(o.published)) / 2
    return v - half, v + half


def _fmt(d: Decimal) -> str:
    q = d.quantize(Decimal("0.1"))
    return format(q.normalize(), "f")


def check_stats(store) -> list[Discrepancy]:
    obs = _observations(store)
    out: list[Discrepancy] = []
    for r in store.select(_query("published-changes")):
        o, old, new = obs.get(str(r["o"])), obs.get(str(r["old"])), obs.get(str(r["new"]))
        if not (o and old and new):
            continue
        pub = interval(o)
        a, b = interval(old), interval(new)
        if pub is None or a is None or b is None or o.status == "NotApplicable":
            continue
        if old.status == "NotApplicable" or new.status == "NotApplicable":
            continue
        if o.measure == "percentage":
            if a[0] <= 0:
                continue  # change from (possibly) zero: not computable
            lo = (b[0] / a[1] - 1) * 100
            hi = (b[1] / a[0] - 1) * 100
            point = (new.value / old.value - 1) * 100 if new.value and old.value else None
            unit = "%"
        else:
            lo, hi = b[0] - a[1], b[1] - a[0]
            point = new.value - old.value if new.value is not None and old.value is not None else None
            unit = ""
        if pub[1] < lo or pub[0] > hi:
            exp = (_fmt(point) + unit) if point is not None else f"{_fmt(lo)}..{_fmt(hi)}{unit}"
            out.append(Discrepancy(
                o.source, "change", f"{exp} (possible {_fmt(lo)}..{_fmt(hi)}{unit})", o.published,
                f"published change {o.published!r} does not follow from {old.published!r} -> {new.published!r} "
                f"({_local(old.iri)} -> {_local(new.iri)}), even allowing for rounding", o.iri))
    sums: dict[str, list[str]] = {}
    for r in store.select(_query("published-totals")):
        sums.setdefault(str(r["o"]), []).append(str(r["part"]))
    for total_iri, parts in sorted(sums.items()):
        t = obs.get(total_iri)
        if t is None:
            continue
        ti = interval(t)
        pis = [interval(obs[p]) if p in obs else None for p in parts]
        if ti is None or any(p is None for p in pis):
            continue
        lo = sum(p[0] for p in pis)
        hi = sum(p[1] for p in pis)
        if ti[1] < lo or ti[0] > hi:
            point = sum((obs[p].value or Decimal(0)) for p in parts)
            out.append(Discrepancy(
                t.source, "sum", f"{_fmt(point)} (possible {_fmt(lo)}..{_fmt(hi)})", t.published,
                f"published total {t.published!r} is not the sum of its {len(parts)} parts "
                f"({', '.join(obs[p].published for p in parts)}), even allowing for rounding", total_iri))
    return sorted(out, key=lambda d: (d.figure, d.kind, d.observation))


# --------------------------------------------------------------------------- W3C Data Cube integrity


def ic_queries() -> list[tuple[str, str, str]]:
    """(IC id, title, query text) for every app/stats/queries/ic-*.rq, in order."""
    out = []
    for p in sorted(QUERY_DIR.glob("ic-*.rq")):
        text = p.read_text(encoding="utf-8")
        first = text.splitlines()[0].lstrip("# ").strip()
        m = re.match(r"(IC-\d+)\s+(.*?):", first)
        ic, title = (m.group(1), m.group(2)) if m else (p.stem, first)
        out.append((ic, title, text))
    return out


def datacube_integrity(store, include_info: bool = True) -> list[Violation]:
    out: list[Violation] = []
    for ic, title, text in ic_queries():
        severity = "info" if "SEVERITY info" in text else "violation"
        if severity == "info" and not include_info:
            continue
        texts = [text]
        if "<PCP>" in text:
            # the parent-child properties come from the store, never from user input
            q = _query("hierarchy-properties").replace(
                "INVERSE", "?x owl:inverseOf ?p ." if "inverseOf" in text else "BIND(?x AS ?p)")
            texts = [text.replace("<PCP>", f"<{r['p']}>") for r in store.select(q)]
        for t in texts:
            for r in store.select(t):
                out.append(Violation(ic, title, str(r.get("focus", "")), str(r.get("detail", "")), severity))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m app.stats.check", description="check the statistics")
    ap.add_argument("--no-info", action="store_true", help="hide IC-17 information findings")
    args = ap.parse_args(argv)
    from app import loader
    from app.store import open_store

    store = open_store("oxigraph")
    ds = loader.read_dataset()
    loader.fill(store, ds)
    bad = check_stats(store)
    for d in bad:
        print(d)
    ics = datacube_integrity(store, include_info=not args.no_info)
    for v in ics:
        print(f"[{v.severity}] {v}")
    n_viol = sum(1 for v in ics if v.severity == "violation")
    print(f"{len(bad)} discrepancies, {n_viol} Data Cube violations, {len(ics) - n_viol} informational findings")
    return 1 if bad or n_viol else 0


if __name__ == "__main__":
    raise SystemExit(main())
