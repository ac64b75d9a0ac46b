"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, time-limited, never federating.

GET with `query=`, POST form-urlencoded, POST `application/sparql-query`; the protocol's
`default-graph-uri` / `named-graph-uri` parameters; results by Accept or `format=`; a Service
Description when there is no query. Updates, SERVICE and FROM graphs we do not hold are refused
before any backend sees the query (rdflib and pyoxigraph would otherwise go to the network).
"""
from __future__ import annotations

from urllib.parse import parse_qs

import rdflib
from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from .. import results
from ..store import StoreError, check_read_only, query_form

bp = Blueprint("sparql", __name__)

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
READ_ONLY = "This endpoint is read-only: SPARQL Update is not accepted."


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


@bp.after_request
def _cors(response: Response) -> Response:
    # Browser SPARQL clients (YASGUI and the like) on other origins may use the endpoint.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Expose-Headers"] = "X-Result-Truncated"
    return response


def _params() -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters from the URL and a form body, and the query from a direct POST."""
    params = {k: request.args.getlist(k) for k in request.args}
    if request.method != "POST":
        return params, None
    ctype = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise _Refusal(415, f"The request body must be UTF-8, not {charset}.")
    raw = request.get_data(cache=True)
    if ctype == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise _Refusal(400, "The form body is not valid UTF-8.")
        for k, v in form.items():
            params.setdefault(k, []).extend(v)
        return params, None
    if ctype == "application/sparql-query":
        try:
            return params, raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refusal(400, "The query is not valid UTF-8.")
    if ctype == "application/sparql-update":
        raise _Refusal(403, READ_ONLY)
    raise _Refusal(415, "POST a query as application/x-www-form-urlencoded (query=...) or as "
                        f"application/sparql-query; got {ctype or 'no content type'}.")


class _Refusal(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return Response(status=204)
    try:
        params, direct_query = _params()
    except _Refusal as r:
        return _error(r.status, r.message)
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        return _error(403, READ_ONLY)
    queries = params.get("query", [])
    if direct_query is not None:
        queries = queries + [direct_query]
    if len(queries) > 1:
        return _error(400, "Send exactly one query (the request carries several).")
    if not queries:
        if request.method == "POST":
            return _error(400, "The request carries no query (query=...).")
        return service_description()
    query = queries[0]
    limit = current_app.config["MAX_QUERY_LENGTH"]
    if len(query) > limit:
        return _error(413, f"The query is {len(query)} characters long; the limit is {limit}.")
    for name in ("default-graph-uri", "named-graph-uri"):  # a malformed IRI here made the stores raise (500)
        for value in params.get(name, []):
            if not _absolute_iri(value):
                return _error(400, f"{name} must be an absolute IRI; {value[:200]!r} is not one.")
    store = current_app.extensions["migratie_kg"].store
    try:
        check_read_only(query, current_app.extensions["migratie_kg"].graph_names)
        # the form (hence the result kind and media type) is known from the text: the worker serializes
        kind = {"SELECT": "select", "ASK": "ask"}.get(query_form(query), "graph")
        media_type = results.choose(kind, request.accept_mimetypes, _one(params, "format"))
        body, truncated = store.answer(
            query,
            media_type,
            default_graphs=params.get("default-graph-uri") or None,
            named_graphs=params.get("named-graph-uri") or None,
            timeout=current_app.config["QUERY_TIMEOUT"],
            max_rows=current_app.config["MAX_ROWS"],
            base_iri=request.base_url,
        )
    except results.NotAcceptable as e:
        return _error(406, str(e))
    except StoreError as e:
        return _error(e.status, str(e))
    response = Response(body, mimetype=media_type)
    if media_type.startswith("text/") or "json" in media_type or "xml" in media_type:
        response.charset = "utf-8"
    if truncated:
        cap = current_app.config["MAX_ROWS"]
        response.headers["X-Result-Truncated"] = str(cap)
        response.headers["Warning"] = f'199 - "result truncated to {cap} rows; add LIMIT and OFFSET to page through it"'
    return response


@bp.route("/sparql", methods=["PUT", "DELETE", "PATCH"])
@bp.route("/sparql/", methods=["PUT", "DELETE", "PATCH"])
def wrong_method():
    return _error(405, "Use GET or POST for SPARQL queries; this endpoint is read-only.")


def _absolute_iri(value: str) -> bool:
    import re

    import pyoxigraph

    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) or re.search(r'[\x00-\x20<>"{}|^`\\]', value):
        return False
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True


def _one(params, name):
    values = params.get(name) or []
    return values[0] if values else None


def service_description() -> Response:
    """A SPARQL 1.1 Service Description (RDF), or the query form for a browser."""
    best = request.accept_mimetypes.best_match(["text/html"] + results.GRAPH_TYPES, default=results.TURTLE)
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes[results.TURTLE]:
        return Response(render_template("sparql.html"), mimetype="text/html")
    g = rdflib.Graph()
    g.bind("sd", SD)
    service = URIRef(request.base_url.rstrip("/"))
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for f in (FORMATS["SPARQL_Results_JSON"], FORMATS["SPARQL_Results_XML"], FORMATS["SPARQL_Results_CSV"],
              FORMATS["SPARQL_Results_TSV"], FORMATS["Turtle"], FORMATS["N-Triples"], FORMATS["JSON-LD"]):
        g.add((service, SD.resultFormat, f))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    for name in current_app.extensions["migratie_kg"].graph_names:
        ng = BNode()
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, SD.name, URIRef(name)))
    g.add((service, rdflib.RDFS.comment, Literal(
        "Read-only SPARQL 1.1 endpoint of migratie-kg. The default graph is the union of all named graphs. "
        "SPARQL Update, SERVICE and FROM graphs outside this dataset are refused.", lang="en")))
    media_type = results.CANONICAL.get(best, best) if best != "text/html" else results.TURTLE
    return Response(results.serialize_graph(g, media_type), mimetype=media_type)
