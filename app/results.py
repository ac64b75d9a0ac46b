"""Serialising query results in the formats of the SPARQL 1.1 Protocol, and choosing one.

SELECT/ASK: application/sparql-results+json, application/sparql-results+xml, text/csv,
text/tab-separated-values. CONSTRUCT/DESCRIBE (and entity descriptions): Turtle, N-Triples, JSON-LD.
"""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import rdflib
from rdflib import BNode, Literal, URIRef

from .store import QueryResult

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
TRIG = "application/trig"
RDFXML = "application/rdf+xml"

# The `format=` parameter's names, for clients that cannot set Accept (and for download links).
FORMAT_NAMES = {
    "json": JSON, "srj": JSON, "xml": XML, "srx": XML, "csv": CSV, "tsv": TSV,
    "turtle": TURTLE, "ttl": TURTLE, "nt": NTRIPLES, "ntriples": NTRIPLES, "n-triples": NTRIPLES,
    "jsonld": JSONLD, "json-ld": JSONLD, "rdfxml": RDFXML, "xml-rdf": RDFXML,
    "n3": TURTLE,  # Turtle is valid N3; SPARQLWrapper asks for n3 by name
}
TABULAR_TYPES = [JSON, XML, CSV, TSV, "application/json"]
BOOLEAN_TYPES = [JSON, XML, "application/json"]
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML, "text/plain", "application/x-turtle", "text/n3", "text/rdf+n3"]
RDFLIB_FORMAT = {TURTLE: "turtle", "application/x-turtle": "turtle", NTRIPLES: "nt", "text/plain": "nt",
                 JSONLD: "json-ld", RDFXML: "xml", TRIG: "trig"}
# What a type we accept is actually served as.
CANONICAL = {"application/json": JSON, "text/plain": NTRIPLES, "application/x-turtle": TURTLE,
             "text/n3": TURTLE, "text/rdf+n3": TURTLE}


class NotAcceptable(Exception):
    pass


def choose(kind: str, accept, format_param: str | None) -> str:
    """The media type to answer with, from a `format=` name or the Accept header."""
    available = {"select": TABULAR_TYPES, "ask": BOOLEAN_TYPES, "graph": GRAPH_TYPES}[kind]
    if format_param:
        wanted = FORMAT_NAMES.get(format_param.lower(), format_param.lower())
        wanted = CANONICAL.get(wanted, wanted)
        if wanted not in available:
            names = sorted({n for n, t in FORMAT_NAMES.items() if t in available})
            raise NotAcceptable(f"format={format_param!r} is not available for this result; use one of: {', '.join(names)}")
        return wanted
    best = accept.best_match(available, default=available[0]) if accept else available[0]
    if accept and accept.provided and accept.best_match(available) is None and "*/*" not in accept.values():
        # The client accepts nothing we have; answer with the default rather than 406, as most endpoints do.
        best = available[0]
    return CANONICAL.get(best, best)


def serialize(result: QueryResult, media_type: str) -> bytes:
    if result.kind == "graph":
        return serialize_graph(result.graph, media_type)
    if media_type == JSON:
        return _json(result)
    if media_type == XML:
        return _xml(result)
    if media_type == CSV:
        return _csv(result)
    if media_type == TSV:
        return _tsv(result)
    raise NotAcceptable(media_type)


def serialize_graph(graph: rdflib.Graph, media_type: str) -> bytes:
    fmt = RDFLIB_FORMAT[media_type]
    if fmt == "json-ld":
        # Never fetch a remote @context: we write a self-contained document.
        return graph.serialize(format="json-ld", auto_compact=False, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def _term_json(t):
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype:
        d["datatype"] = str(t.datatype)
    return d


def _json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
    bindings = [{v: _term_json(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out).encode()
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row):
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{escape(str(t))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{escape(str(t))}</bnode>"
            elif t.language:
                inner = f"<literal xml:lang={quoteattr(t.language)}>{escape(str(t))}</literal>"
            elif t.datatype:
                inner = f"<literal datatype={quoteattr(str(t.datatype))}>{escape(str(t))}</literal>"
            else:
                inner = f"<literal>{escape(str(t))}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out).encode("utf-8")


def _csv(result: QueryResult) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buf.getvalue().encode("utf-8")


def _tsv(result: QueryResult) -> bytes:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")
