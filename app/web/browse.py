"""The browser's other pages: home context, index pages per kind, the actor network and path finder,
the about page (VoID/DCAT, counts, dumps, ontology, validation status) and the SPARQL examples.

Routes are registered on the `pages` blueprint; every page has a JSON twin (`?format=json`).
"""
from __future__ import annotations

from pathlib import Path

import rdflib
from flask import Response, current_app, g, jsonify, request, url_for
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from .. import queries, results
from ..network import UnknownEntity
from .pages import ID_BASE, KINDS, bp, cached, lang, kind_name, kind_of, kg, local_href, network, render, short, term_view, tr, wants_json

REPORT = ID_BASE + "bron/staat-van-migratie-2025"
DATASET_IRI = "https://w3id.org/migratie-kg/id/dataset"  # the knowledge graph as a dcat:Dataset / void:Dataset
EXAMPLES_DIR = Path(queries.QUERY_DIR) / "examples"

INDEXES = {
    # path: (query, kind, Dutch title, English title, extra columns [(key, nl, en)])
    "organisaties": ("pages/index-organisations", "organisation", "Organisaties", "Organisations",
                     [("abbreviations", "Afkortingen", "Abbreviations")]),
    "procedures": ("pages/index-procedures", "procedure", "Procedures", "Procedures",
                   [("steps", "Stappen", "Steps")]),
    "wetgeving": ("pages/index-laws", "law", "Wetgeving", "Legislation",
                  [("abbreviations", "Afkortingen", "Abbreviations"), ("articles", "Artikelen", "Articles")]),
    "uitspraken": ("pages/index-rulings", "ruling", "Uitspraken", "Court rulings",
                   [("date", "Datum", "Date"), ("identifier", "ECLI of zaaknummer", "ECLI or case number")]),
    "statistiek": ("pages/index-datasets", "dataset", "Statistiek per hoofdstuk", "Statistics by chapter",
                   [("figure", "Figuur", "Figure"), ("observations", "Observaties", "Observations")]),
}


def index_rows(name: str) -> list[dict]:
    return cached(f"index-rows/{name}/{lang()}", lambda: _index_rows(name))


def _index_rows(name: str) -> list[dict]:
    query = INDEXES[name][0]
    rows = []
    for r in cached(query, lambda: kg().store.select(queries.load(query), timeout=60)):
        row = {"item": term_view(r["item"], r.get("label"), r.get("labelEn")),
               "group": str(r["group"]) if r.get("group") is not None else None}
        for key, _, _ in INDEXES[name][4]:
            v = r.get(key)
            if isinstance(v, URIRef):
                row[key] = term_view(v, "Figuur " + str(r["figureNumber"]) if r.get("figureNumber") is not None else None)
            elif key == "abbreviations" and v is not None and str(v) != "":
                # GROUP_CONCAT's order is undefined (Oxigraph and Virtuoso differ): sort, so every store shows the same
                row[key] = ", ".join(sorted(str(v).split(", "), key=lambda a: (a.casefold(), a)))
            else:
                row[key] = str(v) if v is not None and str(v) != "" else None
        rows.append(row)
    return rows


def grouped_rows(rows: list[dict]) -> list[dict]:
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r["group"] or tr("overig", "other"), []).append(r)
    return [{"label": k, "rows": v} for k, v in groups.items()]


def _index_view(name: str):
    query, kind, nl, en, columns = INDEXES[name]
    rows = index_rows(name)
    return render_cached("index.html", {"title": tr(nl, en), "name": name, "kind": kind, "count": len(rows),
                                 "columns": [{"key": k, "label": tr(a, b)} for k, a, b in columns],
                                 "groups": grouped_rows(rows)})


def _make_index(name):
    def view():
        return _index_view(name)

    view.__name__ = "index_" + name
    return view


for _name in INDEXES:
    bp.add_url_rule("/" + _name, "index_" + _name, _make_index(_name))


def home_context() -> dict:
    counts: dict[str, int] = {}
    classes = []
    for r in cached("home/counts", lambda: kg().store.select(queries.load("home/counts"), timeout=60)):
        kind = kind_of([r["class"]])
        classes.append({"class": term_view(r["class"], r.get("classLabel")), "count": int(r["count"]), "kind": kind})
    # count things per kind, not per class: an organisation typed both org:Organization and a subclass counts once
    for kind, classes_of_kind, _, _ in KINDS:
        best = [c["count"] for c in classes if c["class"]["iri"] in classes_of_kind]
        if best:
            counts[kind] = max(best)
    entries = [{"kind": k, "label": kind_name(k, plural=True), "count": counts.get(k, 0),
                "href": url_for("pages.index_" + p) + ("?lang=en" if tr("", "en") else "")}
               for p, (_, k, _, _, _) in INDEXES.items()]
    datasets = index_rows("statistiek")
    chapters = [{"label": g_["label"], "count": len(g_["rows"])} for g_ in grouped_rows(datasets)]
    return {"title": "Migratie-KG", "kinds": classes, "counts": counts, "entries": entries, "chapters": chapters,
            "triples": int(void_counts().get("triples") or kg().triples), "graphs": len(kg().graph_names),
            "report": {"iri": REPORT, "href": local_href(REPORT), "label": "De Staat van Migratie 2025"}}


def render_cached(template: str, context: dict):
    """Render a page whose content depends only on the data and the URL (index pages, ontology) once per URL."""
    if wants_json():
        return render(template, context)
    return cached("html:" + request.full_path, lambda: render(template, context))


# -- the actor network

def short_names() -> dict[str, str]:
    """The shortest abbreviation of each entity (for compact node labels in the network)."""
    from .search import index

    def compute():
        out = {}
        for e in index().entries:
            abbrs = sorted((orig for _, orig, how in e.names if how == "abbr" and len(orig) <= 12), key=len)
            if abbrs:
                out[e.iri] = abbrs[0]
        return out

    return cached("short-names", compute)


def network_data(relation: str | None = None, procedure: str | None = None) -> dict:
    net = network()
    shorts = short_names()
    nodes, edges, relations, procedures = {}, [], set(), {}
    for s, t, d in net.graph.edges(data=True):
        if d["kind"] != "link":
            continue
        relations.add(d["relation"])
        if d.get("procedure"):
            procedures[d["procedure"]] = net.label(d["procedure"])
        if relation and d["relation"] != relation:
            continue
        if procedure and d.get("procedure") != procedure:
            continue
        for n in (s, t):
            nodes[n] = {"id": n, "label": net.label(n), "short": shorts.get(n, net.label(n)), "href": local_href(n),
                        "kind": net.kinds.get(n, "Other")}
        edges.append({"source": s, "target": t, "source_label": net.label(s), "target_label": net.label(t),
                      "relation": d["relation"], "quote": d.get("quote"),
                      "section": d.get("section"), "procedure": d.get("procedure")})
    if procedure:  # organisations taking part in the procedure's steps belong to it too
        for s, t, d in net.graph.edges(data=True):
            if d["kind"] == "participation" and d.get("procedure") == procedure and s not in nodes:
                nodes[s] = {"id": s, "label": net.label(s), "short": shorts.get(s, net.label(s)), "href": local_href(s),
                            "kind": "Organisation"}
    if not relation and not procedure:
        for n, kind in net.kinds.items():
            if kind == "Organisation" and n not in nodes and net.organisation_graph.degree(n) > 0:
                nodes[n] = {"id": n, "label": net.label(n), "short": shorts.get(n, net.label(n)), "href": local_href(n),
                            "kind": kind}
    proc_list = sorted(({"iri": k, "label": v} for k, v in procedures.items()), key=lambda x: x["label"])
    all_procs = sorted(({"iri": n, "label": net.label(n)} for n, k in net.kinds.items() if k == "Procedure"),
                       key=lambda x: x["label"])
    return {"nodes": sorted(nodes.values(), key=lambda n: n["label"]), "edges": edges,
            "relations": sorted(relations), "procedures": all_procs or proc_list,
            "filter": {"relation": relation, "procedure": procedure}}


def _network_args():
    relation = request.args.get("relatie") or None
    procedure = request.args.get("procedure") or None
    if relation and len(relation) > 100 or procedure and len(procedure) > 300:
        return None, None, tr("Filterwaarde te lang.", "Filter value too long.")
    if procedure:
        try:
            procedure = network().resolve(procedure, kind="Procedure")
        except UnknownEntity:
            return None, None, tr(f"Onbekende procedure: {procedure}", f"Unknown procedure: {procedure}")
    return relation, procedure, None


@bp.route("/netwerk")
def network_page():
    relation, procedure, error = _network_args()
    if error:
        return render("error.html", {"title": tr("Ongeldige parameter", "Bad parameter"), "message": error}, 400)
    data = cached(f"network/{relation}/{procedure}/{lang()}", lambda: network_data(relation, procedure))
    if relation and relation not in data["relations"]:
        return render("error.html", {"title": tr("Ongeldige parameter", "Bad parameter"),
                                     "message": tr(f"Onbekend relatietype: {relation}", f"Unknown relation type: {relation}")}, 400)
    centrality = cached("centrality", lambda: network().centrality(top=10))
    return render("network.html", {"title": tr("Actorennetwerk", "Actor network"), **data,
                                   "central": [{**c, "href": local_href(c["iri"])} for c in centrality]})


@bp.route("/netwerk.json")
def network_json():
    g.json = True
    relation, procedure, error = _network_args()
    if error:
        return jsonify({"error": error}), 400
    return jsonify(cached(f"network/{relation}/{procedure}/{lang()}", lambda: network_data(relation, procedure)))


@bp.route("/pad")
def path_page():
    a, b = (request.args.get("van") or "").strip(), (request.args.get("naar") or "").strip()
    context = {"title": tr("Padzoeker", "Path finder"), "van": a, "naar": b, "result": None}
    if not a and not b:
        return render("path.html", context)
    if not a or not b or len(a) > 300 or len(b) > 300:
        return render("path.html", {**context, "error": tr("Geef twee namen: van en naar.", "Give two names: from and to.")}, 400)
    try:
        found = network().find_paths(a, b)
    except UnknownEntity as e:
        sugg = [{**s, "href": local_href(s["iri"])} for s in e.suggestions]
        return render("path.html", {**context, "error": tr(f"Onbekende naam: {e.name}", f"Unknown name: {e.name}"),
                                    "suggestions": sugg}, 400)
    for hop_list in found["paths"]:
        for hop in hop_list:
            for end in ("from", "to"):
                hop[end]["href"] = local_href(hop[end]["iri"])
            if hop.get("section"):
                hop["section_href"] = local_href(hop["section"])
    for end in ("from", "to"):
        found[end]["href"] = local_href(found[end]["iri"])
    return render("path.html", {**context, "result": found})


# -- about the data

def void_counts() -> dict:
    """Triples, subjects, properties and classes of the graph, as the loader derived them (empty when the store
    was filled without the derived graph)."""
    return cached("void-counts", lambda: kg().store.select(queries.load("pages/void-counts"), timeout=60)[0])


def void_graph() -> rdflib.Graph:
    counts = void_counts()
    g_ = rdflib.Graph()
    g_.bind("void", VOID)
    g_.bind("dcat", DCAT)
    g_.bind("dcterms", DCTERMS)
    base = request.host_url.rstrip("/")
    ds = URIRef(DATASET_IRI)
    g_.add((ds, RDF.type, VOID.Dataset))
    g_.add((ds, RDF.type, DCAT.Dataset))
    g_.add((ds, DCTERMS.title, Literal("Migratie-KG", lang="nl")))
    g_.add((ds, DCTERMS.description, Literal(
        "Kennisgraaf van het Nederlandse migratiedomein, gebouwd uit het rapport De Staat van Migratie 2025.", lang="nl")))
    g_.add((ds, DCTERMS.description, Literal(
        "Knowledge graph of the Dutch migration domain, built from the report De Staat van Migratie 2025.", lang="en")))
    g_.add((ds, DCTERMS.source, URIRef(REPORT)))
    g_.add((ds, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/nl")))
    g_.add((ds, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
    g_.add((ds, VOID.uriSpace, Literal(ID_BASE)))
    g_.add((ds, VOID.vocabulary, URIRef("https://w3id.org/migratie-kg/def#")))
    # the loader derives these once per load; a remote store filled without the derived graph lacks them
    for key, prop in (("triples", VOID.triples), ("subjects", VOID.distinctSubjects),
                      ("properties", VOID.properties), ("classes", VOID.classes)):
        if counts.get(key) is not None:
            g_.add((ds, prop, Literal(int(counts[key]), datatype=XSD.integer)))
    for fmt, media in DUMPS.items():
        dist = URIRef(f"{DATASET_IRI}/dump/{fmt}")
        g_.add((ds, DCAT.distribution, dist))
        g_.add((ds, VOID.dataDump, URIRef(f"{base}/dump.{fmt}")))
        g_.add((dist, RDF.type, DCAT.Distribution))
        g_.add((dist, DCAT.downloadURL, URIRef(f"{base}/dump.{fmt}")))
        g_.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
    service = URIRef(f"{DATASET_IRI}/sparql")
    g_.add((ds, DCAT.distribution, service))
    g_.add((service, RDF.type, DCAT.DataService))
    g_.add((service, DCAT.endpointURL, URIRef(base + "/sparql")))
    return g_


DUMPS = {"ttl": results.TURTLE, "nt": results.NTRIPLES, "jsonld": results.JSONLD, "trig": "application/trig",
         "nq": "application/n-quads"}


@bp.route("/void.ttl")
def void_ttl():
    return Response(void_graph().serialize(format="turtle"), mimetype=results.TURTLE)


@bp.route("/dump.<fmt>")
def dump(fmt: str):
    """The whole graph: triples (ttl, nt, jsonld, union of all graphs) or quads with the named graphs (trig, nq)."""
    if fmt not in DUMPS:
        return render("error.html", {"title": tr("Onbekend formaat", "Unknown format"),
                                     "message": tr("Kies een van: ", "Choose one of: ") + ", ".join(DUMPS)}, 404)
    cached = current_app.extensions.setdefault("migratie_kg_dumps", {})
    if fmt not in cached:
        if fmt in ("trig", "nq"):
            ds = rdflib.Dataset()
            for name in kg().graph_names:
                rows = kg().store.construct(queries.load("pages/dump-graph"), {"graph": URIRef(name)},
                                           max_rows=10_000_000, timeout=120)
                target = ds.graph(URIRef(name))
                for t in rows:
                    target.add(t)
            cached[fmt] = ds.serialize(format="trig" if fmt == "trig" else "nquads")
        else:
            graph = kg().store.construct(queries.load("pages/dump"), max_rows=10_000_000, timeout=120)
            cached[fmt] = results.serialize_graph(graph, DUMPS[fmt])
    body = cached[fmt]
    return Response(body, mimetype=DUMPS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="migratie-kg.{fmt}"'})


def validation_status() -> dict:
    """The SHACL gate's result for the current files: the loader caches it under .cache/validation/<hash of
    the inputs>.json; we look up the entry for the files as they are now (computed once per app)."""
    def compute():
        try:
            import json

            from .. import loader

            root = Path(current_app.config["ROOT"]) if current_app.config.get("ROOT") else loader.project_root()
            key = loader._hash_inputs(loader.data_files(root) + loader.shape_files(root))
            cache = root / ".cache" / "validation" / f"{key}.json"
            if not cache.exists():
                return {"known": False}
            items = json.loads(cache.read_text())
            severities = [str(v.get("severity", "")) for v in items if isinstance(v, dict)]
            return {"known": True, "violations": severities.count("Violation"), "warnings": severities.count("Warning"),
                    "other": len(severities) - severities.count("Violation") - severities.count("Warning"),
                    "conforms": severities.count("Violation") == 0}
        except Exception:  # the status is informative only
            return {"known": False}

    return cached("validation-status", compute)


@bp.route("/over")
def about():
    counts = void_counts()
    home = home_context()
    return render("about.html", {"title": tr("Over de data", "About the data"),
                                 "counts": {k: int(v) for k, v in counts.items()}, "kinds": home["kinds"],
                                 "graphs": kg().graph_names, "dumps": list(DUMPS), "validation": validation_status(),
                                 "void": void_graph().serialize(format="turtle")})


@bp.route("/ontologie")
def ontology_page():
    terms = []
    for r in cached("ontology-terms", lambda: kg().store.select(queries.load("pages/ontology-terms"))):
        terms.append({"term": term_view(r["term"], r.get("labelNl"), r.get("labelEn")),
                      "type": short(str(r["type"])), "label_nl": _s(r.get("labelNl")), "label_en": _s(r.get("labelEn")),
                      "comment_nl": _s(r.get("commentNl")), "comment_en": _s(r.get("commentEn")),
                      "domain": term_view(r["domain"]) if r.get("domain") is not None else None,
                      "range": term_view(r["range"]) if r.get("range") is not None else None})
    return render_cached("ontology.html", {"title": tr("Ontologie", "Ontology"), "terms": terms,
                                    "classes": [t for t in terms if t["type"] == "Class"],
                                    "properties": [t for t in terms if t["type"] != "Class"]})


def _s(v):
    return None if v is None else str(v)


# -- SPARQL examples

def examples() -> list[dict]:
    """The documented example queries (app/queries/examples/*.rq): name, title (first comment line), text."""
    out = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        out.append({"name": path.stem, "title": comments[0] if comments else path.stem,
                    "description": " ".join(comments[1:]), "query": text})
    return out


@bp.app_context_processor
def _examples_helper():
    return {"sparql_examples": examples}


@bp.route("/sparql/voorbeelden.json")
def examples_json():
    return jsonify(examples())


DEFAULT_QUERY = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?organisatie ?naam WHERE {
  ?organisatie a org:Organization ; skos:prefLabel ?naam .
  FILTER(LANG(?naam) = "nl")
} ORDER BY ?naam"""


@bp.app_context_processor
def _default_query():
    return {"default_sparql_query": DEFAULT_QUERY}


@bp.route("/editor")
def editor():
    """The SPARQL editor with a query preloaded: the permalink of a query (the query is not run here)."""
    query = request.args.get("query", "")
    if len(query) > current_app.config["MAX_QUERY_LENGTH"]:
        return render("error.html", {"title": tr("Query te lang", "Query too long"),
                                     "message": tr("De query is te lang.", "The query is too long.")}, 400)
    return render("sparql.html", {"initial_query": query})
