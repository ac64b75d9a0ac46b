"""The `migratie-kg` command as a user runs it."""
import json
import subprocess
import sys
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_validate_passes_on_the_curated_data(dataset):
    out = run("validate")
    assert out.returncode == 0, out.stderr[-3000:]
    assert "conform to the shapes" in out.stdout


def test_bad_arguments_give_usage():
    out = run("frobnicate")
    assert out.returncode == 2 and "usage: migratie-kg" in out.stderr
    out = run("query")
    assert out.returncode == 2 and "usage:" in out.stderr


def test_query_formats(dataset):
    q = 'PREFIX mkg: <https://w3id.org/migratie-kg/def#> SELECT ?n WHERE { ?s mkg:sectionNumber ?n . FILTER(?n = "Bijlage V") }'
    table = run("query", q)
    assert table.returncode == 0 and "Bijlage V" in table.stdout and "(1 rows)" in table.stdout
    as_json = run("query", q, "--format", "json")
    assert json.loads(as_json.stdout) == [{"n": "Bijlage V"}]
    as_csv = run("query", q, "--format", "csv")
    assert as_csv.stdout.splitlines() == ["n", "Bijlage V"]


def test_query_from_rq_file(dataset, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK WHERE { ?s a <https://w3id.org/migratie-kg/def#Report> }")
    out = run("query", str(f))
    assert out.stdout.strip() == "true"


def test_malformed_query_is_a_clear_error(dataset):
    out = run("query", "SELECT * WHERE { ?s ?p }")
    assert out.returncode == 1 and "syntax error" in out.stderr and "Traceback" not in out.stderr


def test_export_roundtrips(dataset, tmp_path):
    for fmt, parse_as in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig")):
        target = tmp_path / f"all.{fmt}"
        out = run("export", "--format", fmt, "-o", str(target))
        assert out.returncode == 0, out.stderr
        g = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
        g.parse(target, format=parse_as)
        assert len(g) > 1000 or sum(1 for _ in g.quads()) > 1000


def test_stats(dataset):
    out = run("stats")
    assert out.returncode == 0
    assert "data/ttl/bron.ttl" in out.stdout and "https://w3id.org/migratie-kg/def#ReportSection" in out.stdout
