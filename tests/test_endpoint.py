"""The /sparql endpoint over real HTTP, with SPARQLWrapper as the client, and the W3C protocol suite."""
import json
import subprocess
import sys

import pytest
import rdflib
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import SHARED

ORGS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mkg: <https://w3id.org/migratie-kg/def#>
SELECT ?section ?number WHERE { ?section mkg:sectionNumber ?number . FILTER(?number IN ("4.3.1", "Bijlage V")) }
ORDER BY ?number"""


def client(server, query, fmt, method="GET"):
    c = SPARQLWrapper(server.url + "/sparql")
    c.setQuery(query)
    c.setReturnFormat(fmt)
    c.setMethod(method)
    return c.query()


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json(live_server, method):
    data = client(live_server, ORGS, JSON, method).convert()
    assert [b["number"]["value"] for b in data["results"]["bindings"]] == ["4.3.1", "Bijlage V"]


def test_select_xml(live_server):
    doc = client(live_server, ORGS, XML).convert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == ["4.3.1", "Bijlage V"]


def test_select_csv_and_tsv(live_server):
    csv_text = client(live_server, ORGS, CSV).convert().decode()
    assert csv_text.splitlines()[0] == "section,number" and "Bijlage V" in csv_text
    tsv_text = client(live_server, ORGS, TSV).convert().decode()
    assert tsv_text.splitlines()[0] == "?section\t?number" and '"Bijlage V"' in tsv_text


def test_ask_json_and_xml(live_server):
    q = "ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }"
    assert client(live_server, q, JSON).convert()["boolean"] is True
    doc = client(live_server, q, XML).convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, N3])
def test_construct_formats(live_server, fmt):
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?s = <https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025>) }"
    graph = client(live_server, q, fmt).convert()
    if not isinstance(graph, rdflib.Graph):
        graph = rdflib.Graph().parse(data=graph, format="json-ld" if fmt == JSONLD else "turtle")
    assert (rdflib.URIRef("https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025"),
            rdflib.DCTERMS.title, rdflib.Literal("De Staat van Migratie 2025", lang="nl")) in graph


def test_ntriples_by_accept(live_server):
    r = requests.post(live_server.url + "/sparql", data={"query": "DESCRIBE <https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025>"},
                      headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=r.text, format="nt")) > 3


def test_malformed_query_gives_400_with_position(live_server):
    with pytest.raises(QueryBadFormed) as e:
        client(live_server, "SELECT * WHERE { ?s ?p }", JSON)
    assert "1:" in str(e.value)
    r = requests.get(live_server.url + "/sparql", params={"query": "SELECT * WHERE {\n ?s ?p }"})
    assert r.status_code == 400 and "2:" in r.text


@pytest.mark.parametrize("body, ctype", [
    ("update=INSERT%20DATA%20%7B%3Ca%3E%20%3Cb%3E%20%3Cc%3E%7D", "application/x-www-form-urlencoded"),
    ("INSERT DATA { <a> <b> <c> }", "application/sparql-update"),
    ("query=INSERT%20DATA%20%7B%3Ca%3E%20%3Cb%3E%20%3Cc%3E%7D", "application/x-www-form-urlencoded"),
])
def test_update_is_refused(live_server, body, ctype):
    r = requests.post(live_server.url + "/sparql", data=body, headers={"Content-Type": ctype})
    assert 400 <= r.status_code < 500 and "read-only" in r.text


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "never makes outbound requests"),
    ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "never loads graphs from the web"),
])
def test_outbound_is_refused(live_server, query, message):
    r = requests.get(live_server.url + "/sparql", params={"query": query})
    assert r.status_code == 400 and message in r.text


def test_overlong_query(live_server):
    r = requests.post(live_server.url + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 120_000})
    assert r.status_code == 413 and "limit" in r.text


def test_timeout_message(live_server):
    r = requests.get(live_server.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert r.status_code == 503 and "time limit" in r.text
    # the server keeps answering
    assert requests.get(live_server.url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_row_cap_header(live_server):
    r = requests.get(live_server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert r.status_code == 200 and r.headers["X-Result-Truncated"] == "500"
    assert len(r.json()["results"]["bindings"]) == 500


def test_unknown_format_parameter(live_server):
    r = requests.get(live_server.url + "/sparql", params={"query": "ASK {}", "format": "pdf"})
    assert r.status_code == 406 and "json" in r.text


def test_cors(live_server):
    r = requests.options(live_server.url + "/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


def test_service_description(live_server):
    r = requests.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    names = {str(n) for n in g.objects(None, sd.name)}
    assert "https://w3id.org/migratie-kg/graph/bron" in names


def test_w3c_protocol_suite(live_server):
    runner = SHARED / "w3c" / "run_protocol_tests.py"
    manifest = SHARED / "w3c" / "sparql11-protocol" / "manifest.ttl"
    assert runner.exists(), f"the W3C protocol suite is expected at {runner}"
    out = subprocess.run([sys.executable, str(runner), str(manifest), live_server.url + "/sparql", "--read-only"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 failed" in out.stdout
