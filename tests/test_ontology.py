"""The ontology: a proper header, and every term labelled and explained in Dutch and English."""
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "migratie-kg.ttl"
MKG = "https://w3id.org/migratie-kg/def#"
graph = rdflib.Graph().parse(ONTOLOGY)
TERMS = sorted({s for s in graph.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(MKG)})


def test_header():
    onto = next(graph.subjects(RDF.type, OWL.Ontology))
    for p in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license, DCTERMS.creator):
        assert graph.value(onto, p) is not None, f"the ontology header lacks {p}"


@pytest.mark.parametrize("term", TERMS, ids=[t[len(MKG):] for t in TERMS])
def test_term_has_dutch_and_english_label_and_comment(term):
    for p in (RDFS.label, RDFS.comment):
        langs = {o.language for o in graph.objects(term, p)}
        assert {"nl", "en"} <= langs, f"{term} needs {p.n3(graph.namespace_manager)} in nl and en, has {langs}"


def test_relation_types_are_link_subproperties():
    for rel in graph.subjects(RDF.type, rdflib.URIRef(MKG + "RelationType")):
        assert (rel, RDFS.subPropertyOf, rdflib.URIRef(MKG + "linkedTo")) in graph
