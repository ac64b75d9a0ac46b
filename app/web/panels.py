"""Kind-specific panels of the entity page: organisation, procedure, law, ruling, dataset.

Each panel reads the store through a `.rq` file in app/queries/pages (or through the actor network,
which is itself built from SPARQL) and adds plain dicts to the page context, so the JSON twin holds
the same panels as the HTML.
"""
from __future__ import annotations

import math

from rdflib import URIRef

from .. import queries
from ..network import UnknownEntity
from .pages import DCT, MKG, cached, kg, local_href, network, short, term_view, tr


def add_panels(ctx: dict) -> None:
    kind = ctx["kind"]
    fn = {"organisation": organisation_panel, "procedure": procedure_panel, "law": law_panel,
          "ruling": ruling_panel, "dataset": dataset_panel}.get(kind)
    ctx["panel"] = fn(ctx) if fn else None


def _node(d: dict | None) -> dict | None:
    if not d:
        return None
    return {"type": "iri", "iri": d["iri"], "label": d["label"], "href": local_href(d["iri"])}


def _section(iri: str | None, label: str | None = None) -> dict | None:
    if not iri:
        return None
    return {"type": "iri", "iri": iri, "label": label or labels().get(iri) or short(iri), "href": local_href(iri)}


def labels() -> dict[str, str]:
    """Dutch labels of every named entity, from the search's name index (one query per app)."""
    from .search import index

    return cached("labels", lambda: {e.iri: e.label_nl for e in index().entries if e.label_nl})


def _related(query: str, iri: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in kg().store.select(queries.load(query), {"entity": URIRef(iri)}):
        view = term_view(r["item"], r.get("label"), r.get("labelEn"))
        bucket = out.setdefault(str(r["what"]), [])
        if view not in bucket:
            bucket.append(view)
    return out


# -- organisation

def organisation_panel(ctx: dict) -> dict:
    iri = ctx["iri"]
    try:
        actor = network().actor(iri)
    except UnknownEntity:
        actor = {"steps": [], "links": []}
    procedures: dict[str, dict] = {}
    for s in actor["steps"]:
        proc = s["procedure"] or {"iri": "", "label": tr("zonder procedure", "no procedure")}
        entry = procedures.setdefault(proc["iri"], {"procedure": _node(proc) if proc["iri"] else None, "steps": []})
        entry["steps"].append({"step": _node(s["step"]), "order": s["order"], "role": s["role"], "quote": s["quote"],
                               "section": _section(s["section"])})
    links = [{"from": _node(l["from"]), "to": _node(l["to"]), "relation": l["relation"], "quote": l["quote"],
              "section": _section(l["section"], l.get("section_label")),
              "direction": "out" if l["from"]["iri"] == iri else "in"} for l in actor["links"]]
    related = _related("pages/organisation", iri)
    neighbours = {}
    for l in links:
        other = l["to"] if l["direction"] == "out" else l["from"]
        neighbours[other["iri"]] = other
    ring = list(neighbours.values())
    for i, nb in enumerate(ring):
        angle = 2 * math.pi * i / len(ring)
        nb["x"], nb["y"] = round(125 * math.cos(angle), 1), round(125 * math.sin(angle), 1)
    return {"kind": "organisation", "procedures": list(procedures.values()), "links": links,
            "laws": related.get("law", []), "rulings": related.get("ruling", []),
            "datasets": related.get("dataset", []), "neighbours": list(neighbours.values())}


# -- procedure: the tracer

def procedure_panel(ctx: dict) -> dict:
    iri = ctx["iri"]
    try:
        trace = network().trace(iri)
    except UnknownEntity:
        trace = {"steps": [], "handovers": []}
    details = kg().store.select(queries.load("pages/procedure"), {"entity": URIRef(iri)})
    per_holder: dict[str, dict[str, list]] = {}
    for r in details:
        view = term_view(r["item"], r.get("label"), r.get("labelEn"))
        if r.get("duration") is not None:
            view["duration"] = str(r["duration"])
        bucket = per_holder.setdefault(str(r["holder"]), {}).setdefault(str(r["what"]), [])
        if view not in bucket:
            bucket.append(view)
    lanes: list[dict] = []
    lane_index: dict[str, int] = {}
    steps = []
    for n, s in enumerate(trace["steps"], 1):
        actors = [{**_node(a), "role": a["role"]} for a in s["actors"]]
        lead = actors[0] if actors else None
        if lead and lead["iri"] not in lane_index:
            lane_index[lead["iri"]] = len(lanes)
            lanes.append({"iri": lead["iri"], "label": lead["label"], "href": lead["href"]})
        extra = per_holder.get(s["iri"], {})
        steps.append({"n": n, "step": _node(s), "order": s["order"], "actors": actors,
                      "lane": lane_index[lead["iri"]] if lead else None,
                      "next": [{"step": _node(x), "outcome": x["outcome"]} for x in s["next"]],
                      "quote": s["quote"], "section": _section(s["section"]),
                      "time_limits": extra.get("timeLimit", []), "legal_basis": extra.get("legalBasis", [])})
    own = per_holder.get(iri, {})
    handovers = [{"from": _node(h["from"]), "to": _node(h["to"]), "relation": h["relation"], "stated": h["stated"],
                  "quote": h.get("quote"), "section": _section(h.get("section"))} for h in trace["handovers"]]
    return {"kind": "procedure", "steps": steps, "lanes": lanes, "handovers": handovers,
            "time_limits": own.get("timeLimit", []), "legal_basis": own.get("legalBasis", [])}


# -- law

def law_panel(ctx: dict) -> dict:
    related = _related("pages/law", ctx["iri"])
    return {"kind": "law", "articles": related.get("article", []), "executors": related.get("executor", []),
            "rulings": related.get("ruling", [])}


# -- ruling

RULING_FIELDS = [(MKG + "court", ("Rechter", "Court")), (DCT + "date", ("Datum", "Date")),
                 (MKG + "ecli", ("ECLI", "ECLI")), (MKG + "caseNumber", ("Zaaknummer", "Case number")),
                 (MKG + "rulingKind", ("Soort", "Kind")), (MKG + "party", ("Partij", "Party")),
                 (MKG + "holding", ("Beslissing", "Holding")), (MKG + "consequence", ("Gevolg", "Consequence")),
                 (MKG + "interprets", ("Wetgeving", "Laws cited"))]


def ruling_panel(ctx: dict) -> dict:
    by_prop = {g["property"]["iri"]: g["values"] for g in ctx["properties"]}
    fields = [{"label": tr(*names), "values": by_prop[p]} for p, names in RULING_FIELDS if p in by_prop]
    return {"kind": "ruling", "fields": fields}


# -- dataset

def dataset_panel(ctx: dict) -> dict:
    from .stats import dataset_table

    by_prop = {g["property"]["iri"]: g["values"] for g in ctx["properties"]}
    return {"kind": "dataset", "source": by_prop.get(MKG + "dataSource", []),
            "reference_date": by_prop.get(MKG + "referenceDate", []),
            "unit": by_prop.get("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure", []),
            **dataset_table(ctx["iri"])}
