"""Pages through the Flask test client: home, entity pages, content negotiation, JSON twins, errors."""
import rdflib

REPORT = "/id/bron/staat-van-migratie-2025"


def test_home(client):
    r = client.get("/")
    assert r.status_code == 200 and "Migratie-KG" in r.text
    twin = client.get("/index.json").get_json()
    assert twin["triples"] > 1000 and any(k["count"] > 50 for k in twin["kinds"])


def test_entity_page_and_json_twin(client):
    r = client.get(REPORT)
    assert r.status_code == 200 and "De Staat van Migratie 2025" in r.text
    twin = client.get(REPORT + ".json").get_json()
    assert twin["label"] == "De Staat van Migratie 2025"
    assert twin == client.get(REPORT + "?format=json").get_json()
    # sections point at the report: incoming links are shown
    assert any(g["property"]["iri"] == "http://purl.org/dc/terms/isPartOf" for g in twin["incoming"])


def test_content_negotiation(client):
    for suffix, accept, fmt in ((".ttl", "text/turtle", "turtle"), (".nt", "application/n-triples", "nt"),
                                (".jsonld", "application/ld+json", "json-ld")):
        by_suffix = client.get(REPORT + suffix)
        by_accept = client.get(REPORT, headers={"Accept": accept})
        assert by_suffix.status_code == by_accept.status_code == 200
        assert by_suffix.mimetype == by_accept.mimetype == accept
        g = rdflib.Graph().parse(data=by_suffix.data, format=fmt)
        assert (rdflib.URIRef("https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025"),
                rdflib.DCTERMS.title, rdflib.Literal("De Staat van Migratie 2025", lang="nl")) in g


def test_other_iris_at_resource(client):
    r = client.get("/resource", query_string={"iri": "https://w3id.org/migratie-kg/def#ReportSection"})
    assert r.status_code == 200 and "rapportsectie" in r.text


def test_unknown_iri_is_404_with_suggestions(client):
    r = client.get("/id/bron/staat-van-migratie-2025/sectie/99.9")
    assert r.status_code == 404 and "kent" in r.text


def test_bad_parameters_are_400(client):
    assert client.get("/resource").status_code == 400
    assert client.get("/resource", query_string={"iri": "http://x/<script>"}).status_code == 400
    assert client.get("/search", query_string={"q": "x" * 500}).status_code == 400


def test_labels_are_escaped(client):
    r = client.get("/search", query_string={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


PAGES_ON_EVERY_BACKEND = ["/", "/organisaties", "/procedures", "/wetgeving", "/uitspraken", "/statistiek", "/over",
                          "/id/organisatie/ind", "/id/procedure/asielprocedure", "/id/dataset/figuur-53",
                          "/id/wet/vreemdelingenwet-2000", REPORT]


def test_pages_answer_alike_on_every_backend(store, client):
    """Pages read the store only through SPARQL: the same JSON twins on embedded Oxigraph, rdflib and a remote
    Oxigraph server (a query that one backend's client mangles shows up here)."""
    from app import create_app

    other = create_app({"ROOT": "."}, store=store).test_client()
    for page in PAGES_ON_EVERY_BACKEND:
        theirs = other.get(page, query_string={"format": "json"})
        assert theirs.status_code == 200, (page, theirs.get_data(as_text=True)[:300])
        ours = client.get(page, query_string={"format": "json"}).get_json()
        for key in ("count", "triples", "label", "kinds", "entries"):
            if key in ours:
                assert theirs.get_json().get(key) == ours[key], (page, key)
