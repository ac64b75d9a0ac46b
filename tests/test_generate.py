"""bench/generate.py: synthetic data passes our SHACL gate, is clearly labelled synthetic, and is deterministic.

A small set (about 20k triples) is written into a scratch project tree next to the ontology and the real files it
points to (report structure, figures, organisations, countries), and the loader's own gate runs over it.
"""
import io
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from app import loader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

SYNTH = generate.S
CONTEXT = ["data/ttl/bron.ttl", "data/ttl/figuren.ttl", "data/ttl/organisaties.ttl", "data/ttl/landen.ttl"]
SIZE = 20_000


def produce(triples=SIZE, seed=7) -> str:
    buf = io.StringIO()
    generate.generate(buf, triples, seed)
    return buf.getvalue()


@pytest.fixture(scope="module")
def small():
    return produce()


def run_gate(root: Path, text: str):
    for rel in CONTEXT:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, root / rel)
    shutil.copytree(ROOT / "ontology", root / "ontology", ignore=shutil.ignore_patterns("pending"))
    shutil.copytree(ROOT / "shapes", root / "shapes")
    # N-Triples is Turtle, so the loader reads it like any curated file.
    (root / "data" / "ttl" / "synthetisch.ttl").write_text(text, encoding="utf-8")
    ds = loader.read_dataset(root)
    return ds, loader.validate(ds, root, use_cache=False)


@pytest.fixture(scope="module")
def gated(small, tmp_path_factory):
    return run_gate(tmp_path_factory.mktemp("synthetic-project"), small)


def test_the_gate_is_not_vacuous(small, tmp_path):
    """Drop the published value of one observation: the gate must name exactly that observation."""
    victim = next(line for line in small.splitlines() if "/obs/" in line and "#publishedValue>" in line)
    focus = victim.split(" ", 1)[0].strip("<>")
    _, results = run_gate(tmp_path, small.replace(victim + "\n", ""))
    hits = [v for v in results if v.severity == "Violation" and v.focus == focus]
    assert hits and any("publishedValue" in v.message for v in hits)


def test_size_is_close_to_the_request(small):
    n = small.count("\n")
    assert SIZE <= n <= SIZE * 1.3


def test_output_is_valid_n_triples(small):
    quads = list(ox.parse(small.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(quads) == small.count("\n")


def test_synthetic_data_passes_the_shacl_gate(gated):
    _, results = gated
    ours = [v for v in results if v.severity == "Violation"
            and (v.focus.startswith(SYNTH) or "data/ttl/synthetisch.ttl" in v.files
                 or v.focus.startswith("https://w3id.org/migratie-kg/id/land/"))]
    assert not ours, loader.format_report(ours[:10])


def test_every_dataset_and_report_is_labelled_synthetic(small):
    store = ox.Store()
    store.load(small.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    missing = list(store.query("""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX mkg: <https://w3id.org/migratie-kg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?x WHERE { { ?x a qb:DataSet } UNION { ?x a mkg:Report }
                          FILTER NOT EXISTS { ?x rdfs:comment "Synthetische testdata"@nl } }"""))
    assert not missing
    counts = {r["c"].value: int(r["n"].value) for r in store.query("""
        SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c""")}
    assert counts["http://purl.org/linked-data/cube#DataSet"] == 20  # 5 editions x 4 data sets
    assert counts["https://w3id.org/migratie-kg/def#Report"] == 5
    # every data set has observations, even at this small size
    empty = list(store.query("""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?d WHERE { ?d a qb:DataSet FILTER NOT EXISTS { ?o qb:dataSet ?d } }"""))
    assert not empty
    # nothing is minted under the real data's IRIs: subjects are all synthetic
    subjects = {line.split(" ", 1)[0] for line in small.splitlines()}
    assert all(s.startswith("<" + SYNTH) for s in subjects)


def test_generator_is_deterministic(small):
    assert produce() == small
    assert produce(seed=8) != small
