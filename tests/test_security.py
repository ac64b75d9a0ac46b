"""Security (issue 7): no markup from data or input is ever rendered, security headers on every response,
no outbound request on behalf of a user on any backend, limits with clear messages, debug mode never on.

The hostile fixture (tests/fixtures/hostile/hostile.ttl) is served next to the real data through
EXTRA_GRAPHS (served without the gate): its labels, comments and literals carry <script>, event-handler
attributes, javascript: IRIs, unbalanced quotes and Jinja-looking text, all marked with XSSMARKER.
"""
from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef

from app import create_app, security

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "hostile.ttl"
HOSTILE_GRAPH = "https://w3id.org/migratie-kg/id/test/hostile"
ID = "https://w3id.org/migratie-kg/id/"
XSS = ID + "organisatie/hostile-xss"
OTHER = ID + "organisatie/hostile-other"
LINK = ID + "organisatie/hostile-link"
JS_SUBJECT = "javascript:alert(11)"


def hostile_literals() -> set[str]:
    g = rdflib.Graph().parse(HOSTILE)
    return {str(o) for o in g.objects() if isinstance(o, Literal) and "XSSMARKER" in str(o)}


@pytest.fixture(scope="module")
def hostile_app():
    return create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": [(HOSTILE, HOSTILE_GRAPH)],
                       "QUERY_TIMEOUT": 5.0, "MAX_ROWS": 200})


@pytest.fixture()
def hclient(hostile_app):
    return hostile_app.test_client()


# ---------------------------------------------------------------------------------------------
# No executable markup in HTML


class MarkupAudit(HTMLParser):
    """Collects everything in a page that could run script: script elements not from /static/,
    event-handler attributes, javascript:/data: URLs in link attributes, frames and plugins."""

    URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc", "background"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            src, kind = a.get("src") or "", (a.get("type") or "").lower()
            if not (src.startswith("/static/") or kind == "application/json"):
                self.problems.append(f"<script> not from /static/: {attrs}")
        if tag in ("iframe", "object", "embed", "frame", "base", "meta") and tag != "meta":
            self.problems.append(f"<{tag}> element: {attrs}")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh: {attrs}")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"event-handler attribute {name}={value!r} on <{tag}>")
            if name.lower() in self.URL_ATTRS and value:
                v = "".join(value.split()).lower()
                if v.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
                if tag == "img" and name == "src" and not (v.startswith("/") or v.startswith("data:image/")):
                    self.problems.append(f"<img src={value!r}> from elsewhere")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def audit_html(body: str, where: str) -> str:
    audit = MarkupAudit()
    audit.feed(body)
    audit.close()
    assert not audit.problems, f"{where}: executable markup: {audit.problems[:5]}"
    # Jinja-looking text from the data is shown as text, never evaluated.
    text = "".join(audit.text)
    assert "XSSMARKER}}49" not in text, f"{where}: a template expression from the data was evaluated"
    return text


HTML_PAGES = [
    "/", "/organisaties", "/procedures", "/wetgeving", "/uitspraken", "/statistiek", "/netwerk", "/over",
    "/ontologie", "/editor", "/sparql",
    "/id/organisatie/hostile-xss", "/id/organisatie/hostile-other", "/id/organisatie/hostile-link",
    "/resource?iri=" + quote(JS_SUBJECT, safe=""),
    "/resource?iri=" + quote("javascript:alert(5)", safe=""),
    "/resource?iri=" + quote("data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==", safe=""),
    "/search?q=XSSMARKER", "/search?q=" + quote("<script>alert(1)</script>"),
    "/search?q=" + quote("\"'><img src=x onerror=alert(1)>"), "/search?q=" + quote("{{ 7*7 }}{% if 1 %}"),
    "/editor?query=" + quote("</textarea><script>alert(1)</script>{{ 7*7 }}"),
    "/pad?van=" + quote(XSS, safe="") + "&naar=" + quote(OTHER, safe=""),
    "/pad?van=" + quote("<script>alert(1)</script>") + "&naar=" + quote("javascript:alert(1)"),
    "/netwerk?organisatie=" + quote("<script>alert(1)</script>"),
    "/id/organisatie/hostile-xss" + quote("<script>"),  # forbidden IRI character: a 400 page
    "/id/onbekend/" + quote("\"><svg onload=alert(1)>"),
    "/dump.html" + quote("<script>"),
    "/nope/" + quote("<script>alert(1)</script>"),
    "/?lang=" + quote("<script>alert(1)</script>"),
]


@pytest.mark.parametrize("path", HTML_PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_html_pages_escape_hostile_data(hclient, path, lang):
    url = path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" and "lang=" not in path else "")
    r = hclient.get(url, headers={"Accept": "text/html"})
    assert r.status_code < 500, f"{url}: {r.status_code}"
    assert r.mimetype == "text/html" or r.status_code >= 400, f"{url}: {r.mimetype}"
    body = r.get_data(as_text=True)
    if r.mimetype == "text/html":
        audit_html(body, url)
    else:
        assert "<script" not in body.lower(), f"{url}: {r.mimetype} answer echoes markup"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_entity_page_shows_hostile_text_as_text(hclient):
    r = hclient.get("/id/organisatie/hostile-xss")
    assert r.status_code == 200
    text = audit_html(r.get_data(as_text=True), "entity")
    # The labels and comments are there, literally, as text.
    assert "XSSMARKER<script>alert('xss-label')</script>" in text
    assert "XSSMARKER}}{{ 7*7 }}{% raw %}{{ config }}{% endraw %}{# comment #}" in text
    assert "&lt;script&gt;" in r.get_data(as_text=True)


def test_search_and_index_list_the_hostile_entity_escaped(hclient):
    for url in ("/search?q=XSSMARKER", "/organisaties"):
        r = hclient.get(url)
        assert r.status_code == 200, url
        text = audit_html(r.get_data(as_text=True), url)
        assert "XSSMARKER" in text, f"{url} does not list the hostile entity (so its escaping is not tested)"


JSON_TWINS = ["/index.json", "/id/organisatie/hostile-xss.json", "/id/organisatie/hostile-other.json",
              "/search.json?q=XSSMARKER", "/netwerk.json", "/sparql/voorbeelden.json",
              "/organisaties?format=json", "/resource?format=json&iri=" + quote(JS_SUBJECT, safe="")]


@pytest.mark.parametrize("path", JSON_TWINS)
def test_json_twins_are_valid_json(hclient, path):
    r = hclient.get(path)
    assert r.status_code == 200, path
    assert r.mimetype == "application/json"
    json.loads(r.get_data(as_text=True))


def test_entity_json_twin_keeps_values_exactly(hclient):
    data = json.loads(hclient.get("/id/organisatie/hostile-xss.json").get_data(as_text=True))
    flat = json.dumps(data, ensure_ascii=False)
    for value in hostile_literals() & {"XSSMARKER<script>alert('xss-label')</script>",
                                       "XSSMARKER<svg onload=alert(1)>"}:
        assert json.dumps(value, ensure_ascii=False)[1:-1] in flat


RDF_DOWNLOADS = {
    "/id/organisatie/hostile-xss.ttl": "turtle", "/id/organisatie/hostile-xss.nt": "nt",
    "/id/organisatie/hostile-xss.jsonld": "json-ld",
    "/resource?format=ttl&iri=" + quote(JS_SUBJECT, safe=""): "turtle",
    "/resource?format=nt&iri=" + quote(JS_SUBJECT, safe=""): "nt",
    "/resource?format=jsonld&iri=" + quote(JS_SUBJECT, safe=""): "json-ld",
}


@pytest.mark.parametrize("path,fmt", RDF_DOWNLOADS.items())
def test_rdf_downloads_parse_and_round_trip(hclient, path, fmt):
    r = hclient.get(path)
    assert r.status_code == 200, path
    g = rdflib.Graph().parse(data=r.get_data(), format=fmt)
    assert len(g) > 0
    values = {str(o) for o in g.objects() if isinstance(o, Literal)}
    if "hostile-xss" in path:
        assert "XSSMARKER<script>alert('xss-label')</script>" in values
        assert "XSSMARKER unbalanced \" quote ' and ` backtick \\ backslash </p></div></body>" in values
    else:
        assert (URIRef(JS_SUBJECT), None, None) in g


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_dumps_parse_and_hold_hostile_values(hclient, fmt):
    r = hclient.get(f"/dump.{fmt}")
    assert r.status_code == 200
    parser = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}[fmt]
    g = rdflib.Dataset() if fmt in ("trig", "nq") else rdflib.Graph()
    g.parse(data=r.get_data(), format=parser)
    values = {str(o) for _, _, o, *_ in (g.quads() if fmt in ("trig", "nq") else g) if isinstance(o, Literal)}
    assert "XSSMARKER<script>alert('xss-label')</script>" in values


SELECT_HOSTILE = 'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), "XSSMARKER")) }'
CONSTRUCT_HOSTILE = ('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o '
                     'FILTER(isLiteral(?o) && CONTAINS(STR(?o), "XSSMARKER")) }')


def _tabular_values(body: bytes, fmt: str) -> set[str]:
    if fmt == "json":
        data = json.loads(body)
        return {b["o"]["value"] for b in data["results"]["bindings"]}
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(body)
        return {"".join(b.itertext()) for b in root.iter(ns + "binding") if b.get("name") == "o"}
    text = body.decode("utf-8")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        return {r["o"] for r in rows}
    # TSV: RDF term syntax, so parse each term as N-Triples object
    lines = text.rstrip("\n").split("\n")
    head = lines[0].split("\t")
    col = head.index("?o")
    out = set()
    for line in lines[1:]:
        term = line.split("\t")[col]
        g = rdflib.Graph().parse(data=f"<urn:s> <urn:p> {term} .", format="nt")
        out.add(str(next(iter(g.objects()))))
    return out


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparql_results_formats_are_valid_and_exact(hclient, fmt):
    r = hclient.get("/sparql", query_string={"query": SELECT_HOSTILE, "format": fmt})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert _tabular_values(r.get_data(), fmt) == hostile_literals()


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_sparql_graph_formats_are_valid_and_exact(hclient, fmt, parser):
    r = hclient.get("/sparql", query_string={"query": CONSTRUCT_HOSTILE, "format": fmt})
    assert r.status_code == 200, r.get_data(as_text=True)
    g = rdflib.Graph().parse(data=r.get_data(), format=parser)
    assert {str(o) for o in g.objects()} == hostile_literals()


def test_sparql_errors_echoing_input_are_plain_text(hclient):
    r = hclient.get("/sparql", query_string={"query": "SELECT <script>alert(1)</script> WHERE {"})
    assert r.status_code == 400
    assert r.mimetype == "text/plain"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------------------------
# Headers


@pytest.mark.parametrize("path", ["/", "/id/organisatie/hostile-xss", "/id/organisatie/hostile-xss.ttl",
                                  "/search.json?q=a", "/sparql?query=ASK%7B%7D", "/sparql", "/nope",
                                  "/static/style.css", "/dump.ttl"])
def test_security_headers_on_every_response(hclient, path):
    r = hclient.get(path)
    csp = r.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "img-src 'self' data:", "connect-src 'self'",
                      "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in csp, f"{path}: CSP lacks {directive}"
    script_src = [d for d in csp.split(";") if d.strip().startswith("script-src")][0]
    assert "unsafe" not in script_src
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in r.headers["Permissions-Policy"]


def test_endpoint_keeps_cors(hclient):
    r = hclient.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = hclient.options("/sparql")
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Security-Policy" in r.headers


def test_no_inline_script_in_templates():
    """script-src 'self' forbids inline scripts and handlers: the templates must not rely on them."""
    for path in (ROOT / "app" / "web" / "templates").rglob("*.html"):
        audit = MarkupAudit()
        audit.feed(path.read_text(encoding="utf-8"))
        handlers = [p for p in audit.problems if "event-handler" in p or "<script> not from" in p]
        # url_for(...) in src is rendered to /static/...; templates hold it unrendered.
        handlers = [p for p in handlers if "url_for" not in p]
        assert not handlers, f"{path.name}: {handlers}"


# ---------------------------------------------------------------------------------------------
# Debug mode is never on


def test_debug_mode_is_pinned_off(monkeypatch, oxigraph_store):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"ROOT": str(ROOT), "DEBUG": True}, store=oxigraph_store)
    assert app.debug is False and app.config["DEBUG"] is False
    with pytest.raises(security.DebugModeRefused):
        app.run(debug=True)
    app.debug = True  # flipped after start-up: refuses to serve instead of exposing the debugger
    with pytest.raises(security.DebugModeRefused):
        app.test_client().get("/sparql?query=ASK%7B%7D")


def test_serve_path_never_debug(monkeypatch, oxigraph_store):
    import argparse

    import app as app_pkg
    import waitress
    from app import cli

    served = {}
    real_create_app = app_pkg.create_app
    monkeypatch.setattr(app_pkg, "create_app", lambda config: real_create_app(config | {"DEBUG": True},
                                                                              store=oxigraph_store))
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.setenv("FLASK_DEBUG", "1")
    parser_args = argparse.Namespace(load=None, backend="oxigraph", store_dir=None, endpoint=None, push=False,
                                     timeout=10.0, max_rows=10_000, no_cache=False, host="127.0.0.1", port=0,
                                     threads=8, query_memory=2048, query_workers=2)
    assert cli.cmd_serve(parser_args) == 0
    assert served["app"].debug is False
    assert served["threads"] > 1  # a production WSGI server with several threads
    assert "Content-Security-Policy" in served["app"].test_client().get("/sparql?query=ASK%7B%7D").headers


# ---------------------------------------------------------------------------------------------
# Never an outbound request on behalf of a user, on every backend


class Listener:
    """A TCP listener on a loopback port that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(0.5)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            self.connections.append(data or b"<connected>")
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def outbound_attempts(url: str) -> list[tuple[str, str, dict]]:
    """(method, path, request kwargs) for every way a user could name a URL; each must get a 4xx."""
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    sparql = [
        f"SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/x> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM <{url}/x> {{ ?s ?p ?o }}",
        f"DESCRIBE <{url}/x> FROM <{url}/x>",
        f"LOAD <{url}/x>",
        f"LOAD SILENT <{url}/x> INTO GRAPH <urn:g>",
        f"INSERT DATA {{ <urn:a> <urn:b> <{url}/x> }}",
        f"DELETE WHERE {{ ?s ?p ?o }}",
        f"CLEAR ALL",
        f"select * where {{ service <{url}/> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url}/>\nSELECT * WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
    ]
    attempts = []
    for text in sparql:
        attempts.append(("GET", "/sparql", {"query_string": {"query": text}}))
        attempts.append(("POST", "/sparql", {"data": {"query": text}}))
        attempts.append(("POST", "/sparql", {"data": text.encode(), "content_type": "application/sparql-query"}))
    attempts += [
        ("POST", "/sparql", {"data": {"update": f"LOAD <{url}/x>"}}),
        ("GET", "/sparql", {"query_string": {"update": f"LOAD <{url}/x>"}}),
        ("POST", "/sparql", {"data": f"LOAD <{url}/x>".encode(), "content_type": "application/sparql-update"}),
        ("POST", "/sparql", {"query_string": {"using-graph-uri": url + "/x"}, "data": {"update": "CLEAR ALL"}}),
        # a JSON-LD document with a remote @context: nothing here parses user JSON-LD; it is refused as a body
        ("POST", "/sparql", {"data": json.dumps({"@context": url + "/ctx", "@id": "urn:x"}),
                             "content_type": "application/ld+json"}),
        ("PUT", "/sparql", {"query_string": {"graph": url + "/x"}, "data": b"<urn:a> <urn:b> <urn:c> ."}),
        ("GET", "/resource", {"query_string": {"iri": url + "/x"}}),
        ("GET", "/resource", {"query_string": {"iri": url + "/x", "format": "ttl"}}),
        ("GET", "/resource", {"query_string": {"iri": url + "/x", "format": "jsonld"}}),
        ("GET", "/id/" + url, {}),
        ("GET", "/dump." + url, {}),
    ]
    return attempts


def display_only_routes(url: str) -> list[tuple[str, dict]]:
    """Routes where a URL parameter is only shown or looked up (any status < 500 is fine, no request out)."""
    return [
        ("/search", {"q": url}), ("/search.json", {"q": url}), ("/editor", {"query": f"SERVICE <{url}/> {{}}"}),
        ("/pad", {"van": url, "naar": url + "/y"}), ("/netwerk", {"organisatie": url}),
        ("/netwerk.json", {"organisatie": url}), ("/", {"url": url, "next": url}),
        ("/sparql", {"query": "ASK {}", "default-graph-uri": url + "/x"}),
        ("/sparql", {"query": "ASK { GRAPH ?g {} }", "named-graph-uri": url + "/x"}),
        ("/sparql", {"query": f"BASE <{url}/> SELECT * WHERE {{ <x> ?p ?o }}"}),
        ("/sparql", {"query": f"SELECT (IRI(\"{url}/x\") AS ?i) WHERE {{}}"}),
        ("/sparql", {"query": f"DESCRIBE <{url}/x>"}),
        ("/over", {"url": url}), ("/ontologie", {"iri": url}),
    ]


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib", "remote"])
def test_no_outbound_request_on_any_backend(request, backend, listener):
    store = request.getfixturevalue(f"{backend}_store")
    app = create_app({"ROOT": str(ROOT), "QUERY_TIMEOUT": 30.0}, store=store)
    client = app.test_client()
    url = f"http://127.0.0.1:{listener.port}"
    for method, path, kw in outbound_attempts(url):
        r = client.open(path, method=method, **kw)
        body = r.get_data(as_text=True)
        assert 400 <= r.status_code < 500, f"{backend} {method} {path} {kw}: {r.status_code} {body[:300]}"
        assert body.strip(), f"{backend} {method} {path} {kw}: a {r.status_code} without a message"
    for path, params in display_only_routes(url):
        r = client.get(path, query_string=params)
        assert r.status_code < 500, f"{backend} {path} {params}: {r.status_code} {r.get_data(as_text=True)[:300]}"
    time.sleep(0.5)  # give a stray connection the time to arrive
    assert listener.connections == [], f"{backend}: outbound request(s) to the listener: {listener.connections[:3]}"


def test_refusals_say_why(oxigraph_store, listener):
    client = create_app({"ROOT": str(ROOT)}, store=oxigraph_store).test_client()
    url = f"http://127.0.0.1:{listener.port}"
    cases = {
        f"SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}": "SERVICE",
        f"SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}": "does not hold",
        f"SELECT * FROM NAMED <{url}/x> WHERE {{ ?s ?p ?o }}": "does not hold",
        f"LOAD <{url}/x>": "read-only",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }": "read-only",
    }
    for query, words in cases.items():
        r = client.get("/sparql", query_string={"query": query})
        assert r.status_code == 400 and words in r.get_data(as_text=True), (query, r.get_data(as_text=True))
    assert listener.connections == []


# ---------------------------------------------------------------------------------------------
# Limits


@pytest.fixture(scope="module")
def limited_app(oxigraph_store):
    return create_app({"ROOT": str(ROOT), "QUERY_TIMEOUT": 2.0, "MAX_ROWS": 50,
                       "MAX_QUERY_LENGTH": 5_000, "MAX_CONTENT_LENGTH": 20_000}, store=oxigraph_store)


def test_request_body_too_large(limited_app):
    client = limited_app.test_client()
    r = client.post("/sparql", data=b"x" * 30_000, content_type="application/sparql-query")
    assert r.status_code == 413 and r.get_data(as_text=True).strip()
    r = client.post("/sparql", data={"query": "ASK {}" + " " * 30_000})
    assert r.status_code == 413


def test_query_too_long(limited_app):
    client = limited_app.test_client()
    query = "ASK {}" + "#" * 6_000
    for r in (client.get("/sparql", query_string={"query": query}),
              client.post("/sparql", data=query.encode(), content_type="application/sparql-query")):
        assert r.status_code == 413
        assert "limit" in r.get_data(as_text=True)


def test_result_rows_capped_in_endpoint(limited_app):
    r = limited_app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }",
                                                               "format": "json"})
    assert r.status_code == 200
    assert len(json.loads(r.get_data())["results"]["bindings"]) == 50
    assert r.headers["X-Result-Truncated"] == "50"


def test_result_rows_capped_in_html(hclient):
    """Listing pages are bounded: search answers at most a page of hits whatever it matches."""
    data = json.loads(hclient.get("/search.json?q=e").get_data())
    hits = data.get("results") or data.get("hits") or next((v for v in data.values() if isinstance(v, list)), [])
    assert len(hits) <= 100


CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # slow, constant memory


def child_processes() -> set[int]:
    """The live child processes of this process (the Oxigraph servers of the fixtures among them)."""
    pids = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            pids.update(int(pid) for pid in (task / "children").read_text().split())
        except FileNotFoundError:  # a thread that ended while we looked
            pass
    return pids


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_cross_product_is_stopped_and_server_keeps_answering(request, backend):
    store = request.getfixturevalue(f"{backend}_store")
    children_before = child_processes()
    app = create_app({"ROOT": str(ROOT), "QUERY_TIMEOUT": 2.0, "MAX_ROWS": 10**12}, store=store)
    workers_before = set(store.workers()._all)
    slow = {}

    def run_slow():
        slow["response"] = app.test_client().get("/sparql", query_string={"query": CROSS_PRODUCT})

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    client = app.test_client()
    # Meanwhile the server answers other requests (status codes only; no timing assertions).
    others = [client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}),
              client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}),
              client.get("/")]
    thread.join(timeout=120)
    assert not thread.is_alive(), "the cross product was never stopped"
    assert [r.status_code for r in others] == [200, 200, 200]
    r = slow["response"]
    assert r.status_code == 503, r.get_data(as_text=True)[:300]
    assert "time limit" in r.get_data(as_text=True)
    # and afterwards, too
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    # The query was stopped, not merely abandoned: the worker it ran in was killed (and replaced).
    assert workers_before - child_processes(), "the worker that ran the cross product is still alive"
    assert child_processes() <= children_before | set(store.workers()._all)


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_query_that_outgrows_its_memory_is_stopped_alone(request, backend):
    """Sorting a cross product needs memory without bound: the query fails with a message, the server stays."""
    store = request.getfixturevalue(f"{backend}_store")
    try:
        app = create_app({"ROOT": str(ROOT), "QUERY_TIMEOUT": 120.0, "QUERY_MEMORY_MB": 64}, store=store)
        client = app.test_client()
        q = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 503, r.get_data(as_text=True)[:300]
        assert "64 MB of memory" in r.get_data(as_text=True)
        ok = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "format": "json"})
        assert ok.status_code == 200 and len(ok.get_json()["results"]["bindings"]) == 3
    finally:
        store.workers(memory_mb=2048)  # the shared fixture store gets its usual budget back


def test_user_queries_beyond_the_workers_are_told_to_wait(oxigraph_store):
    from app import store as store_module

    pool = oxigraph_store.workers(size=1)
    outcome = {}

    def hold_the_worker():
        try:
            oxigraph_store.query(COUNT_CROSS_PRODUCT, isolated=True, timeout=8)
        except store_module.StoreError as e:
            outcome["error"] = e

    try:
        running = threading.Thread(target=hold_the_worker)
        running.start()
        time.sleep(1.5)  # the cross product holds the only worker
        with pytest.raises(store_module.ServerBusy, match="already running"):
            oxigraph_store.query("ASK {}", isolated=True, timeout=1)
        running.join()
        assert isinstance(outcome.get("error"), store_module.QueryTimeout)
        # the worker that passed the time limit was killed and a fresh one answers
        assert oxigraph_store.query("ASK {}", isolated=True, timeout=5).boolean is True
        assert len(pool._all) == 1
    finally:
        oxigraph_store.workers(size=4)


def test_workers_answer_like_the_store_and_follow_its_content():
    from app.store import OxigraphStore

    store = OxigraphStore()
    store.replace_all({"http://example.org/g": [ox.Triple(ox.NamedNode("http://example.org/a"),
                                                          ox.NamedNode("http://example.org/b"), ox.Literal("c"))]})
    q = "SELECT ?o WHERE { ?s ?p ?o }"
    assert store.query(q, isolated=True).rows == store.query(q).rows == [(Literal("c"),)]
    worker_pids = set(store.workers()._all)
    assert worker_pids and worker_pids <= child_processes()
    store.replace_all({"http://example.org/g": [ox.Triple(ox.NamedNode("http://example.org/a"),
                                                          ox.NamedNode("http://example.org/b"), ox.Literal("d"))]})
    assert not worker_pids & child_processes(), "workers forked before the content changed are gone"
    assert store.query(q, isolated=True).rows == [(Literal("d"),)]
    pids = set(store.workers()._all)
    store.close()
    assert not pids & child_processes()


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib", "remote"])
def test_deep_nesting_is_refused_not_a_crash(request, backend):
    """pyoxigraph's parser overflows the native stack (SIGSEGV: the process dies) on ~1,500 nested brackets;
    check_read_only refuses deep nesting before any backend (or a remote Oxigraph server) sees it."""
    store = request.getfixturevalue(f"{backend}_store")
    client = create_app({"ROOT": str(ROOT)}, store=store).test_client()
    for query in ("SELECT * WHERE " + "{" * 5000 + "}" * 5000,
                  "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
                  "ASK { ?s " + "(" * 5000 + "<urn:p>" + ")" * 5000 + " ?o }"):
        r = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
        assert r.status_code == 400 and "nests" in r.get_data(as_text=True)
    ok = client.get("/sparql", query_string={"query": "SELECT * WHERE " + "{" * 50 + "}" * 50})
    # 50 levels are fine for Oxigraph; rdflib's parser gives up earlier with a 400 (a message, not a crash)
    assert ok.status_code == (400 if backend == "rdflib" else 200), ok.get_data(as_text=True)[:300]
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_persistent_store_workers_are_started_not_forked_and_stoppable(tmp_path):
    """RocksDB is never forked (its threads may hold locks): workers open the store read-only in a process
    of their own, answer like the store, and are killed at the time limit like forked ones."""
    from app.store import OxigraphStore, QueryTimeout

    store = OxigraphStore(tmp_path / "store")
    try:
        store.replace_all({"http://example.org/g": [
            ox.Triple(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
            for i in range(2000)]})
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert store.query(q, isolated=True, timeout=60).rows == store.query(q).rows
        pids = set(store.workers()._all)
        assert pids and pids <= child_processes()
        for pid in pids:
            assert "app.isolation" in Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ")
        with pytest.raises(QueryTimeout):
            store.query(COUNT_CROSS_PRODUCT, isolated=True, timeout=3)
        assert store.query(q, isolated=True, timeout=60).rows == store.query(q).rows
    finally:
        store.close()
    assert not pids & child_processes()


@pytest.mark.parametrize("on_disk", [False, True])
def test_workers_die_with_a_killed_server(tmp_path, on_disk):
    """A server killed with SIGKILL leaves no query workers behind, even ones busy with a runaway query."""
    import signal
    import subprocess
    import sys

    script = f"""
import sys, threading
sys.path.insert(0, {str(ROOT)!r})
import pyoxigraph as ox
from app.store import OxigraphStore
store = OxigraphStore({str(tmp_path / 'store') if on_disk else None!r})
store.replace_all({{"http://example.org/g": [ox.Triple(ox.NamedNode(f"http://example.org/s{{i}}"),
    ox.NamedNode("http://example.org/p"), ox.Literal(str(i))) for i in range(2000)]}})
store.query("ASK {{}}", isolated=True, timeout=60)
threading.Thread(target=store.query, args=({COUNT_CROSS_PRODUCT!r},), kwargs={{"isolated": True, "timeout": 600}},
                 daemon=True).start()
print(" ".join(map(str, store.workers()._all)), flush=True)
threading.Event().wait()
"""
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in server.stdout.readline().split()]
        assert workers, "the server reported no workers"
        time.sleep(1)  # the runaway query is under way in one of them
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)

    def alive(pid):
        try:
            return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 30
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if alive(p)], "workers outlived the killed server"
