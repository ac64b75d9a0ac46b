"""The browser through the Flask test client: every route, in HTML and as its JSON twin, both languages,
the kind-specific panels, search with autocomplete, the network, the path finder, statistics with CSV,
the SPARQL editor and examples, the about page with VoID/DCAT, and the 400/404 answers."""
import csv
import io

import pytest
import rdflib

from app import queries

ORG = "/id/organisatie/coa"
PROC = "/id/procedure/asielprocedure"
LAW = "/id/wet/vreemdelingenwet-2000"
RULING = "/id/uitspraak/ecli-nl-rvs-2022-1973"
DATASET = "/id/dataset/figuur-53"

PAGES = ["/", "/organisaties", "/procedures", "/wetgeving", "/uitspraken", "/statistiek", "/netwerk",
         "/pad", "/pad?van=KMar&naar=DTenV", "/over", "/ontologie", "/search?q=COA", ORG, PROC, LAW, RULING, DATASET]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_in_html_and_english(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "<html lang=\"nl\">" in r.text
    sep = "&" if "?" in url else "?"
    en = client.get(url + sep + "lang=en")
    assert en.status_code == 200 and "<html lang=\"en\">" in en.text


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin(client, url):
    sep = "&" if "?" in url else "?"
    r = client.get(url + sep + "format=json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert isinstance(r.get_json(), dict)


def test_organisation_page(client):
    page = client.get(ORG + ".json").get_json()
    assert page["kind"] == "organisation" and page["label"] == "Centraal Orgaan opvang asielzoekers"
    assert "COA" in [a["value"] for a in page["abbreviations"]]
    assert page["provenance"]["derived"], "provenance panel names the section"
    panel = page["panel"]
    assert panel["procedures"], "the procedures and steps COA takes part in"
    assert panel["links"] and all(l["relation"] for l in panel["links"])
    html = client.get(ORG).text
    assert "Herkomst" in html and "Relaties met andere organisaties" in html
    assert "Role in the migration domain" in client.get(ORG + "?lang=en").text


def test_procedure_tracer(client):
    panel = client.get(PROC + ".json").get_json()["panel"]
    assert panel["kind"] == "procedure" and len(panel["steps"]) >= 5
    assert panel["steps"][0]["step"]["label"].startswith("Aanmelding")
    lanes = [lane["iri"].rsplit("/", 1)[-1] for lane in panel["lanes"]]
    assert "ind" in lanes and "dtenv" in lanes, "a lane per responsible organisation"
    assert panel["handovers"], "handovers between organisations"
    assert any(s["next"] and any(n["outcome"] for n in s["next"]) for s in panel["steps"]), "branches by outcome"
    assert panel["time_limits"], "the procedure's time limits"
    html = client.get(PROC).text
    assert 'class="lanes"' in html and "Overdrachten" in html


def test_law_page(client):
    panel = client.get(LAW + ".json").get_json()["panel"]
    assert panel["kind"] == "law" and panel["articles"] and panel["executors"]
    assert any(e["iri"].endswith("/kmar") for e in panel["executors"])


def test_ruling_page(client):
    page = client.get(RULING + ".json").get_json()
    fields = {f["label"]: f["values"] for f in page["panel"]["fields"]}
    assert fields["ECLI"][0]["value"] == "ECLI:NL:RVS:2022:1973"
    assert fields["Datum"][0]["value"] == "2022-07-13"
    assert "Beslissing" in fields and "Rechter" in fields


def test_dataset_page_chart_and_csv(client):
    page = client.get(DATASET + ".json").get_json()
    panel = page["panel"]
    assert panel["observations"] >= 12 and panel["charts"] and panel["source"]
    assert panel["checks"]["ran"] is True
    html = client.get(DATASET).text
    assert "<svg" in html and "<rect" in html and "Download als CSV" in html
    r = client.get(DATASET + ".csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][0] == "categorie" and "2023" in rows[0] and "2024" in rows[0]
    totaal = [row for row in rows if row[0] == "Totaal" and "50.720" in row]
    assert totaal and "46.400" in totaal[0], "figure 53 prints 50.720 (2023) and 46.400 (2024)"
    assert client.get("/id/dataset/bestaat-niet.csv").status_code == 404


def test_home_and_indexes(client):
    home = client.get("/index.json").get_json()
    assert home["counts"]["organisation"] > 50 and home["counts"]["ruling"] > 10
    assert {e["kind"] for e in home["entries"]} >= {"organisation", "procedure", "law", "ruling", "dataset"}
    for path, kind in (("/organisaties", "organisation"), ("/procedures", "procedure"), ("/wetgeving", "law"),
                       ("/uitspraken", "ruling"), ("/statistiek", "dataset")):
        page = client.get(path + "?format=json").get_json()
        assert page["kind"] == kind and page["count"] > 0
    chapters = [g["label"] for g in client.get("/statistiek?format=json").get_json()["groups"]]
    assert any(c.startswith("Hoofdstuk 4") for c in chapters)


def test_search_exact_abbreviation_first_and_tolerant(client):
    def first(q):
        return client.get("/search.json", query_string={"q": q}).get_json()["hits"][0]["iri"]

    assert first("COA").endswith("/organisatie/coa")
    assert first("coa").endswith("/organisatie/coa")
    assert first("KMar").endswith("/organisatie/kmar")
    assert first("Vreemdelingewet 2000").endswith("/wet/vreemdelingenwet-2000"), "one typo"
    assert first("ECLI:NL:RVS:2022:1973").endswith("/uitspraak/ecli-nl-rvs-2022-1973")
    assert "figuur" in first("figuur 53")
    assert first("Dienst Justitiele Inrichtingen").endswith("/organisatie/dji"), "accents"
    assert first("DIENST JUSTITIËLE").endswith("/organisatie/dji"), "case"
    page = client.get("/search", query_string={"q": "COA", "format": "json"}).get_json()
    assert page["groups"][0]["kind"] == "organisation"


def test_network_and_path(client):
    data = client.get("/netwerk.json").get_json()
    assert len(data["nodes"]) > 20 and data["edges"] and data["relations"]
    rel = data["relations"][0]
    filtered = client.get("/netwerk.json", query_string={"relatie": rel}).get_json()
    assert filtered["edges"] and all(e["relation"] == rel for e in filtered["edges"])
    by_proc = client.get("/netwerk.json", query_string={"procedure": "asielprocedure"}).get_json()
    assert by_proc["nodes"]
    assert client.get("/netwerk", query_string={"relatie": "bestaat niet"}).status_code == 400
    assert client.get("/netwerk.json", query_string={"procedure": "bestaat niet"}).status_code == 400
    html = client.get("/netwerk").text
    assert "vendor/cytoscape/cytoscape.min.js" in html and "cdn" not in html.lower()
    path = client.get("/pad", query_string={"van": "KMar", "naar": "DTenV", "format": "json"}).get_json()
    hops = path["result"]["paths"][0]
    assert hops[0]["from"]["iri"].endswith("/kmar") and hops[-1]["to"]["iri"].endswith("/dtenv")
    assert all(h["sentence"] for h in hops)
    bad = client.get("/pad", query_string={"van": "KMar", "naar": "Xyzzy"})
    assert bad.status_code == 400
    assert client.get("/pad", query_string={"van": "KMar"}).status_code == 400


def test_sparql_editor_and_examples(client):
    html = client.get("/sparql", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "vendor/yasgui/yasgui.min.js" in html.text
    # the protocol is unchanged: no Accept for HTML gives the service description, a query gives results
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    examples = client.get("/sparql/voorbeelden.json").get_json()
    assert len(examples) >= 20 and all(e["title"] and e["query"] for e in examples)
    for ex in examples:
        r = client.post("/sparql", data={"query": ex["query"], "format": "json" if "CONSTRUCT" not in ex["query"] else "ttl"})
        assert r.status_code == 200, ex["name"]
    permalink = client.get("/editor", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    assert permalink.status_code == 200 and "SELECT * WHERE { ?s ?p ?o } LIMIT 1" in permalink.text


def test_every_page_query_has_a_comment():
    for name in queries.names():
        if name.startswith(("pages/", "entity/", "home/", "examples/")):
            assert queries.load(name).lstrip().startswith("#"), name


def test_about_void_and_ontology(client):
    about = client.get("/over?format=json").get_json()
    assert about["counts"]["triples"] > 1000 and about["dumps"]
    void = rdflib.Graph().parse(data=client.get("/void.ttl").text, format="turtle")
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in void
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in void
    onto = client.get("/ontologie?format=json").get_json()
    assert any(t["label_nl"] and t["label_en"] for t in onto["classes"])
    nt = client.get("/dump.nt")
    assert nt.status_code == 200 and len(rdflib.Graph().parse(data=nt.text, format="nt")) > 1000
    assert client.get("/dump.xyz").status_code == 404


def test_errors(client):
    assert client.get("/id/organisatie/bestaat-niet").status_code == 404
    r = client.get("/id/organisatie/coaa")
    assert r.status_code == 404 and "/id/organisatie/coa" in r.text, "404 with suggestions"
    assert client.get("/", query_string={"lang": "de"}).status_code == 400
    assert client.get("/resource", query_string={"iri": "https://x/", "format": "pdf"}).status_code == 400
    assert client.get("/search.json", query_string={"q": "x" * 300}).status_code == 400


def test_no_markup_from_data(client):
    r = client.get("/search", query_string={"q": "<b>COA</b>"})
    assert "<b>COA</b>" not in r.text
    r = client.get("/pad", query_string={"van": "<script>x</script>", "naar": "COA"})
    assert "<script>x</script>" not in r.text
