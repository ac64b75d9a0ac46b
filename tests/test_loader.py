"""Loading: syntax errors name file and line, the gate reports file/focus/path/message, nothing half-loaded."""
import shutil
from pathlib import Path

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
    ds, _ = loader.build(store, small_root)
    assert loader.is_current(store, ds)
    store.close()
    reopened = OxigraphStore(tmp_path / "store")
    assert loader.is_current(reopened, loader.read_dataset(small_root))
    assert reopened.ask("ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }")


def test_extra_graph_is_loaded_but_not_gated(small_root, tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    store = OxigraphStore()
    ds, _ = loader.build(store, small_root, extra=[(extra, "http://example.org/g")])
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
    assert [(t.subject.value, t.predicate.value, t.object.value) for t in derived] == [
        ("https://w3id.org/migratie-kg/id/organisatie/a", "https://w3id.org/migratie-kg/def#fallsUnder",
         "https://w3id.org/migratie-kg/id/organisatie/b")]
