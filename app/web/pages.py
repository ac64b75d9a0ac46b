"""Pages: home, an entity page for every IRI (with RDF downloads and a JSON twin), search, errors.

Every page reads the store only through the `.rq` files in app/queries, so it works unchanged on
a remote SPARQL endpoint. Each HTML page has a JSON twin (`.json` suffix or `?format=json`) built
from the same context, as Datasette does.
"""
from __future__ import annotations

from collections import OrderedDict

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for
from rdflib import Literal, URIRef

from .. import queries, results
from ..store import StoreError, _IRI_FORBIDDEN

bp = Blueprint("pages", __name__)

ID_BASE = "https://w3id.org/migratie-kg/id/"
RDF_SUFFIXES = {".ttl": results.TURTLE, ".nt": results.NTRIPLES, ".jsonld": results.JSONLD}


def kg():
    return current_app.extensions["migratie_kg"]


def short(iri: str) -> str:
    """A readable name for an IRI that has no label: its last segment."""
    tail = iri.rstrip("/#").rsplit("#", 1)[-1]
    return tail.rsplit("/", 1)[-1] or iri


def local_href(iri: str) -> str:
    """Where an IRI's page is on this server."""
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    return url_for("pages.resource", iri=iri)


def term_view(term, label=None) -> dict:
    """A term as the templates and the JSON twin show it."""
    if isinstance(term, URIRef):
        return {"type": "iri", "iri": str(term), "label": str(label) if label else short(str(term)),
                "href": local_href(str(term))}
    if isinstance(term, Literal):
        return {"type": "literal", "value": str(term), "lang": term.language,
                "datatype": str(term.datatype) if term.datatype else None}
    return {"type": "bnode", "value": str(term)}


def wants_json() -> bool:
    return g.get("json", False) or request.args.get("format") == "json"


def render(template: str, context: dict, status: int = 200):
    if wants_json():
        return jsonify(context), status
    return render_template(template, **context), status


@bp.route("/")
def home():
    rows = kg().store.select(queries.load("home/counts"))
    kinds = [{"class": term_view(r["class"], r.get("classLabel")), "count": int(r["count"])} for r in rows]
    context = {"title": "Migratie-KG", "kinds": kinds, "triples": kg().triples, "graphs": len(kg().graph_names)}
    return render("home.html", context)


@bp.route("/index.json")
def home_json():
    g.json = True
    return home()


@bp.route("/search")
def search():
    text = (request.args.get("q") or "").strip()
    if len(text) > 200:
        return render("error.html", {"title": "Ongeldige zoekvraag", "message": "De zoektekst is langer dan 200 tekens."}, 400)
    hits = find(text) if text else []
    return render("search.html", {"title": f"Zoeken: {text}", "q": text, "hits": hits})


def find(text: str) -> list[dict]:
    rows = kg().store.select(queries.load("entity/search-label"), {"text": Literal(text.lower())})
    return [term_view(r["entity"], r.get("label")) for r in rows]


@bp.route("/id/<path:rest>")
def entity(rest: str):
    media_type = None
    for suffix, mt in RDF_SUFFIXES.items():
        if rest.endswith(suffix):
            rest, media_type = rest[: -len(suffix)], mt
    if rest.endswith(".json"):
        rest = rest[: -len(".json")]
        g.json = True
    return show(ID_BASE + rest, media_type)


@bp.route("/resource")
def resource():
    iri = request.args.get("iri", "")
    if not iri or _IRI_FORBIDDEN.search(iri) or ":" not in iri:
        return render("error.html", {"title": "Ongeldige IRI",
                                     "message": "Geef een absolute IRI mee: /resource?iri=https://..."}, 400)
    fmt = request.args.get("format")
    media_type = results.FORMAT_NAMES.get(fmt) if fmt and fmt != "json" else None
    return show(iri, media_type)


def _negotiated_rdf_type():
    best = request.accept_mimetypes.best_match(["text/html", results.TURTLE, results.NTRIPLES, results.JSONLD])
    if best and best != "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]:
        return best
    return None


def show(iri: str, media_type: str | None):
    if _IRI_FORBIDDEN.search(iri):
        return render("error.html", {"title": "Ongeldige IRI", "message": f"Geen geldige IRI: {iri}"}, 400)
    subject = URIRef(iri)
    media_type = media_type or (None if wants_json() else _negotiated_rdf_type())
    if media_type:
        graph = kg().store.construct(queries.load("entity/describe"), {"entity": subject})
        if len(graph) == 0:
            return Response(f"Unknown IRI: {iri}\n", status=404, mimetype="text/plain")
        return Response(results.serialize_graph(graph, media_type), mimetype=media_type)
    out = kg().store.select(queries.load("entity/outgoing"), {"entity": subject})
    incoming = kg().store.select(queries.load("entity/incoming"), {"entity": subject})
    if not out and not incoming:
        suggestions = find(short(iri).replace("-", " ")[:50]) if short(iri) else []
        return render("error.html", {"title": "Niet gevonden", "message": f"De graaf kent {iri} niet.",
                                     "suggestions": suggestions}, 404)
    return render("entity.html", entity_context(iri, out, incoming))


def entity_context(iri, out, incoming) -> dict:
    props: "OrderedDict[str, dict]" = OrderedDict()
    labels, types = [], []
    for r in out:
        p = str(r["property"])
        group = props.setdefault(p, {"property": term_view(r["property"], r.get("propertyLabel")), "values": []})
        view = term_view(r["value"], r.get("valueLabel"))
        if view not in group["values"]:
            group["values"].append(view)
        if p == "http://www.w3.org/2000/01/rdf-schema#label":
            labels.append(r["value"])
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            types.append(view)
    back: "OrderedDict[str, dict]" = OrderedDict()
    for r in incoming:
        p = str(r["property"])
        group = back.setdefault(p, {"property": term_view(r["property"], r.get("propertyLabel")), "subjects": []})
        view = term_view(r["subject"], r.get("subjectLabel"))
        if view not in group["subjects"]:
            group["subjects"].append(view)
    label = pick_label(labels, request.args.get("lang", "nl")) or short(iri)
    return {"title": label, "iri": iri, "label": label, "types": types,
            "properties": list(props.values()), "incoming": list(back.values()),
            "downloads": downloads(iri)}


def downloads(iri: str) -> dict[str, str]:
    """Links to the entity's description as Turtle, N-Triples, JSON-LD and as the page's JSON twin."""
    if iri.startswith(ID_BASE):
        base = local_href(iri)
        return {name: base + "." + name for name in ("ttl", "nt", "jsonld", "json")}
    return {name: url_for("pages.resource", iri=iri, format=name) for name in ("ttl", "nt", "jsonld", "json")}


def pick_label(labels, lang="nl"):
    for want in (lang, "nl", "en", ""):
        for label in labels:
            if (label.language or "") == want:
                return str(label)
    return str(labels[0]) if labels else None


def register_error_handlers(app):
    @app.errorhandler(404)
    def not_found(e):
        return render("error.html", {"title": "Niet gevonden", "message": "Deze pagina bestaat niet."}, 404)

    @app.errorhandler(405)
    def not_allowed(e):
        return render("error.html", {"title": "Methode niet toegestaan", "message": str(e.description)}, 405)

    @app.errorhandler(413)
    def too_large(e):
        return Response("The request body is too large.\n", status=413, mimetype="text/plain")

    @app.errorhandler(StoreError)
    def store_error(e):
        return render("error.html", {"title": "De opslag gaf een fout", "message": str(e)}, e.status)

    @app.errorhandler(500)
    def server_error(e):
        return render("error.html", {"title": "Interne fout", "message": "Er ging iets mis; probeer het later opnieuw."}, 500)
