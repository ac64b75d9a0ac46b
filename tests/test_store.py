"""The same behaviour on every backend: embedded Oxigraph, rdflib, and a real Oxigraph server."""
import time

import pytest
from rdflib import Literal, URIRef

from app.store import (BackendUnavailable, QueryRefused, QuerySyntaxError, RemoteStore, bind, check_read_only)

IND = URIRef("https://w3id.org/migratie-kg/id/organisatie/ind")
REPORT = URIRef("https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025")
SECTION_QUERY = """
PREFIX mkg: <https://w3id.org/migratie-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?section ?title WHERE { ?section mkg:sectionNumber ?number ; dcterms:title ?title } ORDER BY ?section
"""


def test_select_with_bound_literal(store):
    rows = store.select(SECTION_QUERY, {"number": Literal("4.3.1")})
    assert [str(r["title"]) for r in rows] == ["Asielaanvragen in Nederland"]
    assert rows[0]["title"].language == "nl"


def test_select_with_bound_iri(store):
    rows = store.select("SELECT ?title WHERE { ?report <http://purl.org/dc/terms/title> ?title }", {"report": REPORT})
    assert [str(r["title"]) for r in rows] == ["De Staat van Migratie 2025"]


def test_ask(store):
    assert store.ask("ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }")
    assert not store.ask("ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#DoesNotExist> }")


def test_construct(store):
    graph = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": REPORT})
    assert (REPORT, URIRef("http://purl.org/dc/terms/title"), Literal("De Staat van Migratie 2025", lang="nl")) in graph


def test_default_graph_is_union_of_file_graphs(store, dataset):
    names = store.graph_names()
    assert "https://w3id.org/migratie-kg/graph/bron" in names
    assert "https://w3id.org/migratie-kg/graph/ontology/migratie-kg" in names
    # the union sees triples of two different files in one pattern
    assert store.ask("""ASK WHERE { ?section a <https://w3id.org/migratie-kg/def#ReportSection> .
                        <https://w3id.org/migratie-kg/def#ReportSection> a <http://www.w3.org/2002/07/owl#Class> }""")


def test_protocol_default_graph_restricts_dataset(store):
    only_ontology = ["https://w3id.org/migratie-kg/graph/ontology/migratie-kg"]
    q = "ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }"
    assert not store.query(q, default_graphs=only_ontology).boolean
    assert store.query(q, default_graphs=["https://w3id.org/migratie-kg/graph/bron"]).boolean


def test_unknown_protocol_graph_is_empty_and_not_created(store):
    before = store.graph_names()
    unknown = "https://example.org/no-such-graph"
    assert not store.query("ASK WHERE { ?s ?p ?o }", default_graphs=[unknown]).boolean
    assert not store.query("ASK WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[unknown]).boolean
    assert store.graph_names() == before


def test_row_cap(store):
    result = store.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated


def test_syntax_error(store):
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT * WHERE { ?s ?p }")


def test_bound_value_cannot_inject(store):
    hostile = Literal('x" } } SELECT * WHERE { ?a ?b ?c } #')
    rows = store.select(SECTION_QUERY, {"number": hostile})
    assert rows == []


def test_bad_iri_is_refused():
    with pytest.raises(QueryRefused):
        bind("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://x> } ; DROP ALL ; <y")})


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/> { ?s ?p ?o } }",
    "INSERT DATA { <a> <b> <c> }",
    "LOAD <http://example.org/data.ttl>",
    "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_outbound_and_update_refused(query):
    with pytest.raises(QueryRefused):
        check_read_only(query, ["https://w3id.org/migratie-kg/graph/bron"])


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s <http://example.org/service> "INSERT DATA and SERVICE are words here" }',
    "SELECT ?load ?service WHERE { ?load ?service ?o } # DROP ALL in a comment",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:load ?o }",
    "SELECT * FROM <https://w3id.org/migratie-kg/graph/bron> WHERE { ?s ?p ?o }",
])
def test_harmless_words_are_not_refused(query):
    check_read_only(query, ["https://w3id.org/migratie-kg/graph/bron"])


def test_timeout(oxigraph_store):
    from app.store import QueryTimeout
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        oxigraph_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)
    assert time.monotonic() - started < 5


def test_dead_remote_endpoint_gives_clear_error():
    from conftest import free_port
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match="unreachable"):
        store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert time.monotonic() - started < 10


def test_update_words_in_comments_and_strings_do_not_change_the_query_form(store):
    """SPARQLWrapper once sent this as an update ("per load" in a comment): the remote server refused it."""
    q = """# Counts computed once per load; INSERT nothing, DROP nothing.
    SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "LOAD <http://example.org/x>") }"""
    assert int(store.select(q)[0]["n"]) > 1000
    assert store.construct("# describe, load\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")
