"""Benchmark: load + validate, and representative queries, on every backend, as ratios against rdflib.

Run with `make bench`. Prints a Markdown table for the README. Timings are measured here, in one run,
never asserted in tests (the machines are shared and noisy).
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import loader, queries  # noqa: E402
from app.store import OxigraphStore, RdflibStore, RemoteStore, push_graphs  # noqa: E402

REPEAT = 30
IND = URIRef("https://w3id.org/migratie-kg/id/organisatie/ind")
QUERIES = {
    "entity description": (queries.load("entity/outgoing"), {"entity": IND}),
    "incoming links": (queries.load("entity/incoming"), {"entity": IND}),
    "search index (all names)": (queries.load("pages/names"), None),
    "aggregation (entities per class)": (queries.load("derive/class-partitions"), None),
}


def timed(fn, repeat=REPEAT):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def start_oxigraph_server(location: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests

    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}/query"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="load + SHACL gate + representative queries per backend")
    ap.add_argument("--repeat", type=int, default=REPEAT, help=f"runs per query (default {REPEAT})")
    repeat = ap.parse_args(argv).repeat
    root = loader.project_root()
    t = time.perf_counter()
    ds = loader.read_dataset(root)
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    loader.gate(ds, root, use_cache=False)
    validate_s = time.perf_counter() - t
    t = time.perf_counter()
    loader.gate(ds, root, use_cache=True)
    cached_s = time.perf_counter() - t

    tmp = Path(tempfile.mkdtemp())
    proc, endpoint = start_oxigraph_server(tmp / "oxigraph")
    results = {}
    try:
        for name, make, fill in (
            ("rdflib", RdflibStore, lambda s: loader.fill(s, ds)),
            ("oxigraph (embedded)", OxigraphStore, lambda s: loader.fill(s, ds)),
            ("remote (Oxigraph server)", lambda: RemoteStore(endpoint), lambda s: push_graphs(endpoint, ds.graphs)),
        ):
            store = make()
            store.timeout = 600  # measure, don't cut off: the rdflib engine is slow on some of these
            t = time.perf_counter()
            fill(store)
            load_s = time.perf_counter() - t
            row = {"load": load_s}
            for label, (text, bindings) in QUERIES.items():
                store.query(text, bindings)  # warm up
                row[label] = timed(lambda: store.query(text, bindings), repeat)
            results[name] = row
    finally:
        proc.terminate()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Data: {ds.triple_count()} triples in {len(ds.graphs)} graphs. Parse {parse_s:.2f} s, "
          f"SHACL gate {validate_s:.2f} s (cached: {cached_s * 1000:.1f} ms).\n")
    base = results["rdflib"]
    header = ["measure"] + list(results)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    cells = [f"{r['load'] * 1000:.0f} ms ({r['load'] / base['load']:.2f}x)" for r in results.values()]
    print("| load into store | " + " | ".join(cells) + " |")
    for label in QUERIES:
        cells = []
        for r in results.values():
            med, p95 = r[label]
            cells.append(f"{med * 1000:.2f} / {p95 * 1000:.2f} ms ({med / base[label][0]:.2f}x)")
        print(f"| {label} (median / p95) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
