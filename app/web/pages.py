"""Pages: home, an entity page for every IRI (with RDF downloads and a JSON twin), search, errors.

Every page reads the store only through the `.rq` files in app/queries, so it works unchanged on
a remote SPARQL endpoint. Each HTML page has a JSON twin (`.json` suffix or `?format=json`) built
from the same context, as Datasette does. Dutch is the default language; `?lang=en` switches labels
and the interface to English where the graph has English.

The other browser pages (index pages, network, path finder, statistics, about) live in `browse.py`
and register their routes on the same blueprint.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from urllib.parse import quote

from flask import (Blueprint, Response, current_app, g, has_request_context, jsonify, render_template, request,
                   url_for)
from rdflib import Literal, URIRef

from .. import queries, results
from ..store import StoreError, _IRI_FORBIDDEN

bp = Blueprint("pages", __name__)

ID_BASE = "https://w3id.org/migratie-kg/id/"
RDF_SUFFIXES = {".ttl": results.TURTLE, ".nt": results.NTRIPLES, ".jsonld": results.JSONLD}
LANGS = ("nl", "en")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MKG = "https://w3id.org/migratie-kg/def#"
ORG = "http://www.w3.org/ns/org#"
ELI = "http://data.europa.eu/eli/ontology#"
QB = "http://purl.org/linked-data/cube#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"

# The kinds of thing the browser knows, in the order they are tried (first match wins), with their
# classes and Dutch/English names (singular, plural).
KINDS = [
    ("organisation", {ORG + "Organization", ORG + "FormalOrganization", ORG + "OrganizationalUnit"},
     ("organisatie", "organisaties"), ("organisation", "organisations")),
    ("procedure", {MKG + "Procedure"}, ("procedure", "procedures"), ("procedure", "procedures")),
    ("step", {MKG + "ProcedureStep"}, ("processtap", "processtappen"), ("procedure step", "procedure steps")),
    ("ruling", {MKG + "CourtRuling"}, ("uitspraak", "uitspraken"), ("court ruling", "court rulings")),
    ("law", {ELI + "LegalResource"}, ("wet of regeling", "wetgeving"), ("legal resource", "legislation")),
    ("article", {ELI + "LegalResourceSubdivision"}, ("artikel", "artikelen"), ("article", "articles")),
    ("dataset", {QB + "DataSet"}, ("dataset", "statistiek"), ("dataset", "statistics")),
    ("document", {MKG + "Document", MKG + "ParliamentaryPaper", MKG + "Proceedings", MKG + "StaatsbladPublication",
                  MKG + "ResearchReport", MKG + "PolicyDocument", MKG + "Report"},
     ("document", "documenten"), ("document", "documents")),
    ("section", {MKG + "ReportSection"}, ("rapportsectie", "rapportsecties"), ("report section", "report sections")),
    ("figure", {MKG + "Figure"}, ("figuur", "figuren"), ("figure", "figures")),
    ("concept", {SKOS + "Concept"}, ("begrip", "begrippen"), ("concept", "concepts")),
    ("link", {MKG + "OrganisationLink"}, ("relatie", "relaties"), ("link", "links")),
]
KIND_NAMES = {k: (nl, en) for k, _, nl, en in KINDS} | {"other": (("overig", "overig"), ("other", "other"))}


def kind_of(types) -> str:
    types = {str(t) for t in types}
    for kind, classes, _, _ in KINDS:
        if types & classes:
            return kind
    return "other"


def kind_name(kind: str, plural: bool = False) -> str:
    nl, en = KIND_NAMES.get(kind, KIND_NAMES["other"])
    return (en if lang() == "en" else nl)[1 if plural else 0]


def kg():
    return current_app.extensions["migratie_kg"]


def network():
    """The one ActorNetwork of this app, built on first use from SPARQL and cached."""
    net = current_app.extensions.get("migratie_kg_network")
    if net is None:
        from ..network import ActorNetwork

        net = current_app.extensions["migratie_kg_network"] = ActorNetwork(kg().store)
    return net


def cached(key: str, compute):
    """A value computed once per app (the served data does not change while the app runs)."""
    store = current_app.extensions.setdefault("migratie_kg_page_cache", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def lang() -> str:
    cached_lang = g.get("_lang")
    if cached_lang is None:
        value = request.args.get("lang", "nl")
        cached_lang = g._lang = value if value in LANGS else "nl"
    return cached_lang


def tr(nl: str, en: str) -> str:
    """The interface text in the reader's language."""
    return en if lang() == "en" else nl


@bp.before_app_request
def _check_lang():
    value = request.args.get("lang")
    if value is not None and value not in LANGS and not request.path.startswith("/sparql"):
        g.json = request.args.get("format") == "json"
        return render("error.html", {"title": "Ongeldige parameter",
                                     "message": f"lang moet 'nl' of 'en' zijn, niet {value!r}."}, 400)


@bp.app_context_processor
def _template_helpers():
    def lang_url(to: str) -> str:
        args = request.args.to_dict()
        if to == "nl":
            args.pop("lang", None)
        else:
            args["lang"] = to
        return url_for(request.endpoint, **(request.view_args or {}), **args) if request.endpoint else "/"

    def link(endpoint: str, **kw) -> str:
        if lang() == "en":
            kw.setdefault("lang", "en")
        return url_for(endpoint, **kw)

    return {"tr": tr, "lang": lang(), "lang_url": lang_url, "link": link, "kind_name": kind_name}


def short(iri: str) -> str:
    """A readable name for an IRI that has no label: its last segment."""
    tail = iri.rstrip("/#").rsplit("#", 1)[-1]
    return tail.rsplit("/", 1)[-1] or iri


def local_href(iri: str) -> str:
    """Where an IRI's page is on this server (in the reader's language)."""
    english = _has_request() and lang() == "en"
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):] + ("?lang=en" if english else "")
    return _resource_href(iri) + ("&lang=en" if english else "")


@lru_cache(maxsize=20_000)
def _resource_href(iri: str) -> str:
    return "/resource?iri=" + quote(iri, safe="")


def _has_request() -> bool:
    return has_request_context()


def choose(nl_label, en_label=None):
    """The label in the reader's language, falling back to Dutch."""
    if lang() == "en" and en_label is not None:
        return en_label
    return nl_label if nl_label is not None else en_label


def term_view(term, label=None, label_en=None) -> dict:
    """A term as the templates and the JSON twin show it."""
    if isinstance(term, URIRef):
        chosen = choose(label, label_en) if _has_request() else label
        return {"type": "iri", "iri": str(term), "label": str(chosen) if chosen else short(str(term)),
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


def bad_request(message: str):
    return render("error.html", {"title": tr("Ongeldige parameter", "Bad parameter"), "message": message}, 400)


@bp.route("/")
def home():
    from .browse import home_context

    return render("home.html", home_context())


@bp.route("/index.json")
def home_json():
    g.json = True
    return home()


@bp.route("/id/<path:rest>")
def entity(rest: str):
    media_type = None
    for suffix, mt in RDF_SUFFIXES.items():
        if rest.endswith(suffix):
            rest, media_type = rest[: -len(suffix)], mt
    if rest.endswith(".json"):
        rest = rest[: -len(".json")]
        g.json = True
    if rest.endswith(".csv") and rest.startswith("dataset/"):
        from .stats import dataset_csv

        return dataset_csv(ID_BASE + rest[: -len(".csv")])
    return show(ID_BASE + rest, media_type)


@bp.route("/resource")
def resource():
    iri = request.args.get("iri", "")
    if not iri or _IRI_FORBIDDEN.search(iri) or ":" not in iri:
        return render("error.html", {"title": "Ongeldige IRI",
                                     "message": "Geef een absolute IRI mee: /resource?iri=https://..."}, 400)
    fmt = request.args.get("format")
    if fmt and fmt != "json" and fmt not in results.FORMAT_NAMES:
        return bad_request(f"Onbekend formaat {fmt!r}; kies ttl, nt, jsonld of json.")
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
        from .search import suggestions

        return render("error.html", {"title": tr("Niet gevonden", "Not found"),
                                     "message": tr(f"De graaf kent {iri} niet.", f"The graph does not know {iri}."),
                                     "suggestions": suggestions(short(iri).replace("-", " ")[:50])}, 404)
    context = entity_context(iri, out, incoming)
    from .panels import add_panels

    add_panels(context)
    return render("entity.html", context)


# Properties the page shows in a panel of their own rather than in the generic list.
PROVENANCE = {PROV + "wasDerivedFrom", MKG + "quote", MKG + "mentionedIn", MKG + "dataQualityNote"}
HEADER = {RDF + "type", RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", DCT + "description",
          RDFS + "comment", SKOS + "definition"}


def entity_context(iri, out, incoming) -> dict:
    props: "OrderedDict[str, dict]" = OrderedDict()
    labels, types, type_iris, abbreviations, descriptions = [], [], [], [], []
    provenance = {"derived": [], "quotes": [], "mentioned": [], "notes": []}
    for r in out:
        p = str(r["property"])
        view = term_view(r["value"], r.get("valueLabel"), r.get("valueLabelEn"))
        if p in (RDFS + "label", SKOS + "prefLabel"):
            labels.append(r["value"])
        elif p == RDF + "type":
            types.append(view)
            type_iris.append(str(r["value"]))
        elif p == SKOS + "altLabel":
            abbreviations.append(view)
        elif p in (DCT + "description", RDFS + "comment", SKOS + "definition"):
            descriptions.append(view)
        elif p == PROV + "wasDerivedFrom":
            provenance["derived"].append(view)
        elif p == MKG + "quote":
            provenance["quotes"].append(view)
        elif p == MKG + "mentionedIn":
            provenance["mentioned"].append(view)
        elif p == MKG + "dataQualityNote":
            provenance["notes"].append(view)
        group = props.setdefault(p, {"property": term_view(r["property"], r.get("propertyLabel"), r.get("propertyLabelEn")),
                                     "values": [], "shown_above": p in PROVENANCE or p in HEADER})
        if view not in group["values"]:
            group["values"].append(view)
    back: "OrderedDict[str, dict]" = OrderedDict()
    for r in incoming:
        p = str(r["property"])
        group = back.setdefault(p, {"property": term_view(r["property"], r.get("propertyLabel"), r.get("propertyLabelEn")),
                                    "subjects": []})
        view = term_view(r["subject"], r.get("subjectLabel"), r.get("subjectLabelEn"))
        if view not in group["subjects"]:
            group["subjects"].append(view)
    label = pick_label(labels, lang()) or short(iri)
    descriptions = pick_texts(descriptions)
    return {"title": label, "iri": iri, "label": label, "lang": lang(), "kind": kind_of(type_iris),
            "labels": [{"value": str(x), "lang": x.language} for x in labels],
            "types": types, "abbreviations": abbreviations, "descriptions": descriptions,
            "provenance": provenance,
            "properties": list(props.values()), "incoming": list(back.values()),
            "downloads": downloads(iri)}


def pick_texts(views: list[dict]) -> list[dict]:
    """Descriptions in the reader's language when there are any, else all of them."""
    mine = [v for v in views if v.get("lang") == lang()]
    return mine or views


def downloads(iri: str) -> dict[str, str]:
    """Links to the entity's description as Turtle, N-Triples, JSON-LD and as the page's JSON twin."""
    if iri.startswith(ID_BASE):
        base = "/id/" + iri[len(ID_BASE):]
        return {name: base + "." + name for name in ("ttl", "nt", "jsonld", "json")}
    return {name: url_for("pages.resource", iri=iri, format=name) for name in ("ttl", "nt", "jsonld", "json")}


def pick_label(labels, want="nl"):
    for wanted in (want, "nl", "en", ""):
        for label in labels:
            if (label.language or "") == wanted:
                return str(label)
    return str(labels[0]) if labels else None


def register_error_handlers(app):
    @app.errorhandler(404)
    def not_found(e):
        return render("error.html", {"title": "Niet gevonden", "message": "Deze pagina bestaat niet."}, 404)

    @app.errorhandler(400)
    def bad(e):
        return render("error.html", {"title": "Ongeldig verzoek", "message": str(e.description)}, 400)

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


# The rest of the browser registers its routes on this blueprint.
from . import browse, search  # noqa: E402,F401
