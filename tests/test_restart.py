"""A persistent store survives `kill -9` under load: restart without reloading, nothing lost or corrupted.

`migratie-kg serve --store-dir DIR` runs as a subprocess on a loopback port over a snapshot of the project files
(so other people editing the data meanwhile cannot change what is loaded). While client threads send queries,
the server is killed with SIGKILL; it is started again on the same DIR and must

- not reload: the stamp file the loader writes after filling the store (`.migratie-kg-input`) keeps its content
  and its modification time (the loader rewrites it on every fill, so this is timing-free evidence);
- hold the same data: the same triple count, the same answers to a few queries, and the same SHA-256 of the
  sorted N-Triples export of the whole graph (CONSTRUCT through /sparql).

Everything is bounded by timeouts; nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
STAMP = ".migratie-kg-input"
START_TIMEOUT = 240.0

QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "labels": """SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }
                 ORDER BY ?s ?l LIMIT 200""",
    "ind": """SELECT ?p ?o WHERE { <https://w3id.org/migratie-kg/id/organisatie/ind> ?p ?o } ORDER BY ?p ?o""",
}
EXPORT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary() -> list[str]:
    exe = Path(sys.executable).parent / "migratie-kg"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "app.cli"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """A frozen copy of the inputs (ontology, shapes, data) with the gate cache, used as MIGRATIE_KG_ROOT."""
    root = tmp_path_factory.mktemp("restart-root")
    shutil.copytree(ROOT / "ontology", root / "ontology", ignore=shutil.ignore_patterns("pending"))
    shutil.copytree(ROOT / "shapes", root / "shapes")
    shutil.copytree(ROOT / "data" / "ttl", root / "data" / "ttl")
    if (ROOT / ".cache" / "validation").exists():
        shutil.copytree(ROOT / ".cache" / "validation", root / ".cache" / "validation")
    return root


class Server:
    def __init__(self, root: Path, store_dir: Path, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, MIGRATIE_KG_ROOT=str(root), PYTHONUNBUFFERED="1")
        self.log = log
        self._log = open(log, "w")
        self.proc = subprocess.Popen(
            _binary() + ["serve", "--store-dir", str(store_dir), "--host", "127.0.0.1", "--port", str(self.port),
                         "--threads", "4", "--timeout", "120"],  # integrity, not limits, is under test
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                requests.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"server did not come up within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")

    def query(self, text: str, accept: str = "application/sparql-results+json", timeout: float = 60) -> requests.Response:
        r = requests.post(self.url + "/sparql", data={"query": text}, headers={"Accept": accept}, timeout=timeout)
        r.raise_for_status()
        return r

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


_BNODE = re.compile(r"_:[A-Za-z0-9]+")


def fingerprint(server: Server) -> dict:
    """Triple count, answers to QUERIES and the SHA-256 of the sorted export (blank node labels normalised)."""
    out = {}
    for name, text in QUERIES.items():
        out[name] = server.query(text).json()["results"]["bindings"]
    body = server.query(EXPORT, accept="application/n-triples", timeout=120).text
    lines = sorted(_BNODE.sub("_:b", line) for line in body.splitlines() if line.strip())
    out["export_lines"] = len(lines)
    out["export_sha256"] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return out


def test_kill_9_under_load_then_restart_without_reload(snapshot, tmp_path):
    store_dir = tmp_path / "store"

    first = Server(snapshot, store_dir, tmp_path / "first.log")
    try:
        stamp = store_dir / STAMP
        assert stamp.exists(), "the loader did not write its stamp after filling the persistent store"
        stamp_text, stamp_mtime = stamp.read_text(), stamp.stat().st_mtime_ns
        before = fingerprint(first)
        assert int(before["count"][0]["n"]["value"]) > 1000
        assert before["export_lines"] > 1000

        # Clients keep querying while the server is killed.
        stop = threading.Event()
        answered, failed = [0], [0]

        def client(i: int) -> None:
            text = list(QUERIES.values())[i % len(QUERIES)]
            while not stop.is_set():
                try:
                    first.query(text, timeout=10)
                    answered[0] += 1
                except requests.RequestException:
                    failed[0] += 1
                    time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(6)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while answered[0] < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert answered[0] >= 20, "the clients got no answers before the kill"
        first.kill()  # SIGKILL while queries are in flight
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=15)
        assert failed[0] > 0 or answered[0] > 0
    finally:
        first.kill() if first.proc.poll() is None else None

    second = Server(snapshot, store_dir, tmp_path / "second.log")
    try:
        assert stamp.read_text() == stamp_text
        assert stamp.stat().st_mtime_ns == stamp_mtime, "the restarted server reloaded the store (stamp rewritten)"
        after = fingerprint(second)
        assert after == before
        assert "Serving" in (tmp_path / "second.log").read_text()
    finally:
        second.stop()
