"""`migratie-kg path | trace | actor | centrality` on the curated data, as a user runs them."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_path_kmar_dtenv_is_explained(dataset):
    out = run("path", "KMar", "DTenV", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["from"]["iri"].endswith("/organisatie/kmar") and data["to"]["iri"].endswith("/organisatie/dtenv")
    hop = data["paths"][0][0]
    assert hop["sentence"] and hop["section"], "every hop is explained and sourced"
    text = run("path", "kmar", "Dienst Terugkeer en Vertrek").stdout
    assert "Koninklijke Marechaussee" in text and "Dienst Terugkeer en Vertrek" in text


def test_trace_asylum_procedure(dataset):
    out = run("trace", "asielprocedure", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    labels = [s["label"] for s in data["steps"]]
    assert len(labels) >= 5
    deciding = [a["label"] for s in data["steps"] for a in s["actors"] if a["role"] == "beslissend"]
    assert "Immigratie- en Naturalisatiedienst" in deciding
    assert any(h["to"]["iri"].endswith("/organisatie/dtenv") for h in data["handovers"])


def test_actor_coa(dataset):
    out = run("actor", "COA", "--json")
    data = json.loads(out.stdout)
    assert data["organisation"]["iri"].endswith("/organisatie/coa")
    assert any("Opvang" in s["procedure"]["label"] for s in data["steps"])


def test_unknown_name_gets_suggestions_not_a_traceback(dataset):
    out = run("actor", "INDD")
    assert out.returncode == 1
    assert "did you mean" in out.stderr and "Immigratie- en Naturalisatiedienst" in out.stderr
    assert "Traceback" not in out.stderr


def test_centrality_lists_the_ind_near_the_top(dataset):
    data = json.loads(run("centrality", "--json", "--top", "5").stdout)
    assert "https://w3id.org/migratie-kg/id/organisatie/ind" in [r["iri"] for r in data]
