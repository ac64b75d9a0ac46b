"""The actor network on a tiny fixture graph: paths with explanations, tracing, handovers, names."""
from pathlib import Path

import pytest

from app.network import ActorNetwork, UnknownEntity
from app.store import OxigraphStore
from app.loader import parse_file

FIXTURE = Path(__file__).parent / "fixtures" / "network" / "mini.ttl"
ORG = "https://w3id.org/migratie-kg/id/organisatie/"
STEP = "https://w3id.org/migratie-kg/id/procedure/toets/stap/"


@pytest.fixture(scope="module")
def net():
    store = OxigraphStore()
    store.replace_all({"https://w3id.org/migratie-kg/graph/test": parse_file(FIXTURE)})
    return ActorNetwork(store)


def test_resolve_by_abbreviation_label_and_accents(net):
    assert net.resolve("AAA") == ORG + "aaa"
    assert net.resolve("aaa") == ORG + "aaa"
    assert net.resolve("beta orgaan") == ORG + "bbb"  # accent- and case-insensitive
    assert net.resolve("Toetsprocedure") == "https://w3id.org/migratie-kg/id/procedure/toets"


def test_unknown_name_gets_suggestions(net):
    with pytest.raises(UnknownEntity) as e:
        net.resolve("Alfa Dienstt")
    assert e.value.suggestions[0]["iri"] == ORG + "aaa"


def test_path_hops_are_explained_with_provenance(net):
    data = net.find_paths("AAA", "DDD")
    assert data["length"] == 1
    hop = data["paths"][0][0]
    assert hop["sentence"] == "Alfa Dienst valt onder Delta Ministerie"
    assert hop["quote"] == "Alfa valt onder Delta." and hop["section"].endswith("sectie/bijlage-v")


def test_path_through_shared_procedure_steps(net):
    data = net.find_paths("CCC", "BBB")
    assert data["length"] == 2  # both take part in the step 'Vertrek'
    assert data["paths"][0][0]["to"]["iri"] == STEP + "vertrek"


def test_no_path(net):
    assert net.find_paths("DDD", "CCC", via_steps=False)["paths"] == []


def test_trace_orders_steps_and_branches(net):
    data = net.trace("toetsprocedure")
    assert [s["label"] for s in data["steps"]] == ["Aanvraag", "Besluit", "Vertrek", "Vergunning"]
    besluit = data["steps"][1]
    assert {(n["outcome"], n["label"]) for n in besluit["next"]} == {("afwijzing", "Vertrek"), ("inwilliging", "Vergunning")}
    vertrek = data["steps"][2]
    assert [(a["label"], a["role"]) for a in vertrek["actors"]] == [("Bèta Orgaan", "verantwoordelijk"), ("Gamma Raad", "ondersteunend")]


def test_handover_derived_from_step_order(net):
    handovers = net.trace("toetsprocedure")["handovers"]
    assert [(h["from"]["label"], h["to"]["label"], h["stated"]) for h in handovers] == [("Alfa Dienst", "Bèta Orgaan", False)]
    assert "afwijzing" in handovers[0]["relation"]


def test_actor_lists_every_step(net):
    data = net.actor("AAA")
    assert [(s["step"]["label"], s["role"]) for s in data["steps"]] == [
        ("Aanvraag", "verantwoordelijk"), ("Besluit", "beslissend"), ("Vergunning", "verantwoordelijk")]
    assert data["links"][0]["relation"] == "valt onder"


def test_centrality_ranks_the_broker(net):
    ranking = net.centrality()
    assert ranking[0]["iri"] == ORG + "aaa"
