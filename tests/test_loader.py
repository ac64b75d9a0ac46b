"""Loading: syntax errors name file and line, the gate reports file/focus/path/message, nothing half-loaded."""
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from app import loader
from app.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def small_root(tmp_path):
    for rel in ("ontology/migratie-kg.ttl", "data/ttl/bron.ttl", "shapes/bron.ttl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    return tmp_path


def test_each_file_gets_its_named_graph(small_root):
    ds = loader.read_dataset(small_root)
    assert "https://w3id.org/migratie-kg/graph/bron" in ds.graphs
    assert "https://w3id.org/migratie-kg/graph/ontology/migratie-kg" in ds.graphs
    assert ds.files["https://w3id.org/migratie-kg/graph/bron"] == Path("data/ttl/bron.ttl")


def test_syntax_error_names_file_and_line(small_root):
    bad = small_root / "data" / "ttl" / "kapot.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n')
    with pytest.raises(loader.LoadError) as e:
        loader.read_dataset(small_root)
    assert "data/ttl/kapot.ttl:3" in str(e.value)


def test_gate_failure_leaves_store_untouched(small_root):
    store = OxigraphStore()
    loader.build(store, small_root)
    before = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    (small_root / "data" / "ttl" / "extra.ttl").write_text(
        (ROOT / "tests/fixtures/broken/bron-section-without-page.ttl").read_text())
    with pytest.raises(loader.GateFailed) as e:
        loader.build(store, small_root)
    report = e.value.report
    assert "data/ttl/extra.ttl" in report and "focus:" in report and "path:" in report and "exactly one start page" in report
    after = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert before == after


def test_gate_result_is_cached_on_input_hash(small_root):
    ds = loader.read_dataset(small_root)
    loader.validate(ds, small_root)
    cached = list((small_root / ".cache" / "validation").glob("*.json"))
    assert [p.stem for p in cached] == [ds.input_hash]
    (small_root / "data" / "ttl" / "bron.ttl").write_text((small_root / "data" / "ttl" / "bron.ttl").read_text() + "\n# changed\n")
    assert loader.read_dataset(small_root).input_hash != ds.input_hash


def test_persistent_store_is_not_reloaded_when_unchanged(small_root, tmp_path):
    store = OxigraphStore(tmp_path / "store")
    loaded = loader.build(store, small_root)
    assert loaded.dataset is not None and loader.is_current(store, loaded.dataset.content_stamp)
    store.close()
    reopened = OxigraphStore(tmp_path / "store")
    assert loader.is_current(reopened, loader.read_dataset(small_root).content_stamp)
    again = loader.build(reopened, small_root)
    assert again.dataset is None, "a current store is served without parsing the files again"
    assert (again.graph_names, again.triples) == (loaded.graph_names, loaded.triples)
    assert reopened.ask("ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }")


def test_extra_graph_is_loaded_but_not_gated(small_root, tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    store = OxigraphStore()
    ds = loader.build(store, small_root, extra=[(extra, "http://example.org/g")]).dataset
    assert "http://example.org/g" in ds.extra
    assert store.query("ASK WHERE { ?s ?p ?o }", default_graphs=["http://example.org/g"]).boolean


def test_link_triples_are_derived(small_root):
    (small_root / "data" / "ttl" / "links.ttl").write_text("""
@prefix mkg: <https://w3id.org/migratie-kg/def#> .
<https://w3id.org/migratie-kg/id/relatie/a-falls-under-b> a mkg:OrganisationLink ;
    mkg:source <https://w3id.org/migratie-kg/id/organisatie/a> ; mkg:relation mkg:fallsUnder ;
    mkg:target <https://w3id.org/migratie-kg/id/organisatie/b> .
""")
    ds = loader.read_dataset(small_root)
    derived = ds.graphs[loader.DERIVED_GRAPH]
    links = [t for t in derived if t.subject.value.startswith("https://w3id.org/migratie-kg/id/organisatie/")]
    assert [(t.subject.value, t.predicate.value, t.object.value) for t in links] == [
        ("https://w3id.org/migratie-kg/id/organisatie/a", "https://w3id.org/migratie-kg/def#fallsUnder",
         "https://w3id.org/migratie-kg/id/organisatie/b")]


def test_summaries_match_a_count_of_the_loaded_triples(dataset):
    """The loader's derived VoID counts, class partitions and observations per data set, recomputed here in
    Python from the parsed graphs (everything loaded except the summaries themselves)."""
    from collections import Counter

    void, qb, mkg = "http://rdfs.org/ns/void#", "http://purl.org/linked-data/cube#", "https://w3id.org/migratie-kg/def#"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    base, me = "https://w3id.org/migratie-kg/id/", "https://w3id.org/migratie-kg/id/dataset"

    def key(t):
        return (str(t.subject), str(t.predicate), str(t.object))

    derived = dataset.graphs[loader.DERIVED_GRAPH]
    summary = {key(t) for t in derived if t.subject.value == me or isinstance(t.subject, ox.BlankNode)
               or t.predicate.value == mkg + "observationCount"}
    loaded = {key(t) for triples in dataset.graphs.values() for t in triples} - summary
    typed = {(t[0], t[2]) for t in loaded if t[1] == f"<{rdf_type}>"}

    def number(subject, predicate):
        values = [int(t.object.value) for t in derived if t.subject.value == subject and t.predicate.value == predicate]
        assert len(values) == 1, (subject, predicate, values)
        return values[0]

    assert number(me, void + "triples") == len(loaded)
    assert number(me, void + "distinctSubjects") == len({t[0] for t in loaded})
    assert number(me, void + "properties") == len({t[1] for t in loaded})
    assert number(me, void + "classes") == len({c for _, c in typed})

    expected = Counter(c.strip("<>") for s, c in typed if s.strip("<>").startswith(base))
    partitions = {t.object for t in derived if t.predicate.value == void + "classPartition"}
    found = {}
    for p in partitions:
        props = {t.predicate.value: t.object.value for t in derived if t.subject == p}
        found[props[void + "class"]] = int(props[void + "entities"])
    assert found == dict(expected) and found[qb + "Observation"] > 1000

    observations = Counter(t[2].strip("<>") for t in loaded if t[1] == f"<{qb}dataSet>")
    datasets = {s.strip("<>") for s, c in typed if c == f"<{qb}DataSet>"}
    for ds_iri in datasets:
        assert number(ds_iri, mkg + "observationCount") == observations.get(ds_iri, 0), ds_iri
    assert any(observations.get(d, 0) == 0 for d in datasets), "chart-only data sets count 0"
