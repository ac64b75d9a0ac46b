"""data/ttl/figuren.ttl (the 132 figures) and data/ttl/landen.ttl (countries) are complete and consistent."""
from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib import Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
MKG = Namespace("https://w3id.org/migratie-kg/def#")
FIG = "https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025/figuur/"
SEED = ROOT.parent / "shared" / "seed" / "staat-van-migratie-2025.txt"


def graph(*names: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for n in names:
        g.parse(ROOT / "data" / "ttl" / n)
    return g


def test_all_132_figures_with_caption_and_section():
    g = graph("figuren.ttl", "bron.ttl")
    figures = set(g.subjects(RDF.type, MKG.Figure))
    assert {str(f) for f in figures} == {f"{FIG}{n}" for n in range(1, 133)}
    for f in figures:
        n = int(str(f).rsplit("/", 1)[1])
        assert int(g.value(f, MKG.figureNumber)) == n
        label = str(g.value(f, RDFS.label))
        title = str(g.value(f, DCTERMS.title))
        assert label.startswith(f"Figuur {n} ") and title in label
        assert "(Bron" not in title and "\t" not in label and "\ufffd" not in label
        section = g.value(f, DCTERMS.isPartOf)
        assert (section, RDF.type, MKG.ReportSection) in g, f"figure {n}: {section} is not a section of bron.ttl"


def test_figure_sections_are_where_the_seed_prints_them():
    g = graph("figuren.ttl")
    expected = {1: "2.1", 6: "2.2.3", 26: "2.4.2", 32: "3.2.2", 41: "3.5", 53: "4.3.1", 105: "6.4.2", 132: "7.4"}
    for n, sec in expected.items():
        assert str(g.value(rdflib.URIRef(f"{FIG}{n}"), DCTERMS.isPartOf)).endswith(f"/sectie/{sec}")


def test_captions_are_in_the_seed():
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8").replace("\ufffd", " "))
    g = graph("figuren.ttl")
    for f in g.subjects(RDF.type, MKG.Figure):
        words = str(g.value(f, DCTERMS.title)).split()[:6]
        assert " ".join(words) in seed, f


def test_countries_have_iso_codes_matching_their_iri():
    g = graph("landen.ttl")
    scheme = rdflib.URIRef("https://w3id.org/migratie-kg/id/land")
    countries = set(g.subjects(SKOS.inScheme, scheme))
    assert len(countries) >= 100
    for c in countries:
        code = str(g.value(c, MKG.isoCode))
        assert re.fullmatch(r"[A-Z]{2}", code) and str(c).endswith("/" + code.lower())
        assert any(l.language == "nl" for l in g.objects(c, SKOS.prefLabel))
