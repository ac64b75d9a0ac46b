"""Statistics in the browser: the table of a dataset as the report gives it, a server-side SVG bar
chart, the consistency-check result (app.stats.check) and a CSV download (/id/dataset/<slug>.csv).
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from flask import Response, current_app
from rdflib import URIRef

from .. import queries
from .pages import kg, short, tr

REF_PERIOD = "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"


def _observations(iri: str):
    rows = kg().store.select(queries.load("pages/dataset"), {"entity": URIRef(iri)})
    obs: dict[str, dict] = {}
    dims: dict[str, str] = {}
    for r in rows:
        o = obs.setdefault(str(r["obs"]), {"iri": str(r["obs"]), "dims": {}, "published": None, "number": None,
                                           "measure": None})
        if r.get("dim") is not None:
            d = str(r["dim"])
            dims.setdefault(d, str(r.get("dimLabel") or short(d)))
            val = r["val"]
            o["dims"][d] = str(r.get("valLabel") or (short(str(val)) if isinstance(val, URIRef) else val))
        if r.get("published") is not None:
            o["published"] = str(r["published"])
        if r.get("number") is not None:
            o["number"] = str(r["number"])
        if r.get("measure") is not None:
            o["measure"] = short(str(r["measure"]))
    return list(obs.values()), dims


def dataset_table(iri: str) -> dict:
    observations, dims = _observations(iri)
    dim_order = sorted(dims, key=lambda d: (d == REF_PERIOD, dims[d]))
    others = [d for d in dim_order if d != REF_PERIOD]
    periods = sorted({o["dims"].get(REF_PERIOD) for o in observations if o["dims"].get(REF_PERIOD)})
    measures = sorted({o["measure"] for o in observations if o["measure"]})
    pivot = REF_PERIOD in dims and 1 < len(periods) <= 12
    if pivot:
        # rows: the other dimensions (and the measure when there are several); columns: the periods
        keys: dict[tuple, dict] = {}
        for o in observations:
            key = tuple(o["dims"].get(d, "") for d in others) + ((o["measure"] or "",) if len(measures) > 1 else ())
            keys.setdefault(key, {})[o["dims"].get(REF_PERIOD)] = o["published"] if o["published"] is not None else o["number"]
        header = [dims[d] for d in others] + ([tr("maat", "measure")] if len(measures) > 1 else []) + periods
        body = [list(k) + [cells.get(p, "") or "" for p in periods] for k, cells in keys.items()]
    else:
        header = [dims[d] for d in dim_order] + ([tr("maat", "measure")] if len(measures) > 1 else []) + [tr("waarde", "value")]
        body = [[o["dims"].get(d, "") for d in dim_order] + ([o["measure"] or ""] if len(measures) > 1 else [])
                + [o["published"] if o["published"] is not None else (o["number"] or "")] for o in observations]
    body.sort(key=_natural)
    charts = [chart(observations, m, dim_order) for m in (measures or [None])]
    return {"header": header, "rows": body, "observations": len(observations),
            "charts": [c for c in charts if c["bars"]], "checks": discrepancies(iri)}


def _natural(row):
    return [(0, int(x)) if str(x).isdigit() else (1, str(x)) for x in row]


def _num(text) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return None


def chart(observations, measure, dim_order, max_bars: int = 60) -> dict:
    """Horizontal bars, one per observation with a number, as coordinates the template draws in SVG."""
    items = []
    for o in observations:
        if o["measure"] != measure or o["number"] is None:
            continue
        n = _num(o["number"])
        if n is None:
            continue
        label = ", ".join(o["dims"][d] for d in dim_order if d in o["dims"])
        items.append((label, float(n), o["published"] or o["number"]))
    items.sort(key=lambda x: _natural([x[0]]))
    items = items[:max_bars]
    bar, gap, left, width = 18, 4, 260, 420
    hi = max([abs(v) for _, v, _ in items] + [0]) or 1
    has_negative = any(v < 0 for _, v, _ in items)
    zero = left + (width / 2 if has_negative else 0)
    scale = (width / 2 if has_negative else width) / hi
    bars = []
    for i, (label, value, shown) in enumerate(items):
        w = abs(value) * scale
        x = zero - w if value < 0 else zero
        bars.append({"y": i * (bar + gap), "x": round(x, 1), "w": round(w, 1), "h": bar, "label": label[:45],
                     "full_label": label, "value": shown, "text_x": round(zero + (w if value >= 0 else 0) + 4, 1)})
    return {"measure": measure, "bars": bars, "height": len(bars) * (bar + gap) + 10, "width": left + width + 80,
            "zero": zero, "left": left}


def discrepancies(iri: str) -> dict:
    """The consistency check of app.stats (published changes and totals recomputed), for this dataset."""
    found = current_app.extensions.get("migratie_kg_stats_check")
    if found is None:
        try:
            from ..stats.check import check_stats

            found = [d.__dict__ if hasattr(d, "__dict__") else dict(d) for d in check_stats(kg().store)]
            found = [{"observation": d.get("observation", ""), "kind": d.get("kind"), "expected": d.get("expected"),
                      "published": d.get("published"), "message": d.get("message")} for d in found]
        except Exception as e:  # the check is another engineer's module; a failure must not break the page
            current_app.logger.warning("statistics check failed: %s", e)
            found = None
        current_app.extensions["migratie_kg_stats_check"] = found if found is not None else "failed"
    if found in (None, "failed"):
        return {"ran": False, "issues": []}
    mine = [d for d in found if str(d["observation"]).startswith(iri + "/")]
    return {"ran": True, "issues": mine}


def dataset_csv(iri: str) -> Response:
    table = dataset_table(iri)
    if not table["observations"]:
        return Response(f"Unknown dataset: {iri}\n", status=404, mimetype="text/plain")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table["header"])
    w.writerows(table["rows"])
    name = re.sub(r"[^a-z0-9-]", "", short(iri).lower()) or "dataset"
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
