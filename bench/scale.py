"""Scale benchmark: load time, peak memory and page-query latency per backend, at report scale, 1 M and 10 M.

    .venv/bin/python bench/scale.py [--sizes report,1000000,10000000] [--repeat 20] [--out /tmp/scale.json]

For every size the curated data (what `migratie-kg serve` loads) is used, plus, above report scale, synthetic
data from bench/generate.py in the named graph https://w3id.org/migratie-kg/graph/synthetisch (the `--load` path
of `serve`; not gated, like any extra graph). Every measurement runs in a fresh child process so that its peak
RSS (VmHWM from /proc) belongs to that backend alone:

- `oxigraph-memory`: embedded pyoxigraph in memory: parse + derive + fill (the loader's path), then queries;
- `oxigraph-disk`: the same with a persistent store directory (`--store-dir`), plus the restart: opening the
  filled store again with a matching stamp (no reload);
- `oxigraph-server`: `oxigraph serve` (PyPI `oxigraph`), loaded over the Graph Store Protocol (curated graphs with
  `migratie-kg push`'s function, the synthetic file streamed in one PUT), queried through our RemoteStore; peak
  RSS of the server process. In the same run, three endpoints get the same queries, interleaved, over HTTP: our
  `/sparql` with the same data in embedded Oxigraph (`migratie-kg serve --load`), our `/sparql` in front of that
  Oxigraph server (`migratie-kg serve --endpoint`), and the Oxigraph server's own `/query`; the ratios of the
  medians are our endpoint's overhead.

Page queries are the app's own (app/queries): entity description and incoming links of organisatie/ind, the
query that builds the search index (once per app), the statistics index, the table of one data set (figuur-53), the
counts on the home page (read from the summaries the loader derives).
Timings are p50/p95 over --repeat runs after one warm-up. Numbers from a shared 2-core machine are noisy;
compare within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SYNTH_GRAPH = "https://w3id.org/migratie-kg/graph/synthetisch"


def page_queries():
    from rdflib import URIRef

    from app import queries

    ind = URIRef("https://w3id.org/migratie-kg/id/organisatie/ind")
    return {
        "entity: outgoing": (queries.load("entity/outgoing"), {"entity": ind}),
        "entity: incoming": (queries.load("entity/incoming"), {"entity": ind}),
        "search index": (queries.load("pages/names"), None),
        "index: statistiek": (queries.load("pages/index-datasets"), None),
        "dataset figuur-53": (queries.load("pages/dataset"),
                              {"entity": URIRef("https://w3id.org/migratie-kg/id/dataset/figuur-53")}),
        "home: counts": (queries.load("home/counts"), None),
    }


def peak_rss_mb(pid="self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 900, proc=None) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def timed(fn, repeat):
    fn()  # warm-up
    xs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    xs.sort()
    return statistics.median(xs) * 1000, xs[max(0, round(0.95 * (len(xs) - 1)))] * 1000


# ---------------------------------------------------------------------------------------------------------------
# Workers (run in a child process: `scale.py --worker NAME --synthetic FILE`)


def worker_embedded(synthetic: str | None, disk: bool, repeat: int) -> dict:
    from app import loader
    from app.store import OxigraphStore

    extra = [(Path(synthetic), SYNTH_GRAPH)] if synthetic else None
    tmp = Path(tempfile.mkdtemp(prefix="scale-store-")) if disk else None
    try:
        t = time.perf_counter()
        ds = loader.read_dataset(ROOT, extra)
        parse_s = time.perf_counter() - t
        store = OxigraphStore(tmp / "store" if tmp else None)
        t = time.perf_counter()
        loader.fill(store, ds)
        fill_s = time.perf_counter() - t
        out = {"triples": ds.triple_count(), "load_s": parse_s + fill_s, "parse_derive_s": parse_s, "fill_s": fill_s}
        out["queries"] = {name: timed(lambda: store.query(text, b, timeout=120, max_rows=100_000), repeat)
                          for name, (text, b) in page_queries().items()}
        if tmp:
            store.close()
            del store
            t = time.perf_counter()
            again = OxigraphStore(tmp / "store")  # the restart path of `serve --store-dir`: hash the inputs,
            restarted = loader.build(again, ROOT, extra=extra)  # compare the stamp, serve without parsing
            out["reopen_current"] = restarted.dataset is None
            out["reopen_s"] = time.perf_counter() - t
            out["disk_mb"] = sum(f.stat().st_size for f in (tmp / "store").rglob("*") if f.is_file()) / 2**20
            again.close()
        out["peak_rss_mb"] = peak_rss_mb()
        return out
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def worker_server(synthetic: str | None, repeat: int, ratio: bool = True, bulk: bool = False) -> dict:
    import requests

    from app import loader
    from app.store import RemoteStore, bind, push_graphs

    tmp = Path(tempfile.mkdtemp(prefix="scale-oxiserver-"))
    port = free_port()
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    bulk_s = 0.0
    if bulk and synthetic:  # the server's own bulk loader for the big file, before the server starts
        t = time.perf_counter()
        subprocess.run([binary, "load", "--location", str(tmp / "db"), "--file", synthetic, "--graph", SYNTH_GRAPH],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bulk_s = time.perf_counter() - t
        synthetic_for_gsp = None
    else:
        synthetic_for_gsp = synthetic
    server = subprocess.Popen([binary, "serve", "--location", str(tmp / "db"), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app_proc = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", proc=server)
        ds = loader.read_dataset(ROOT)  # curated graphs only; the synthetic file is streamed as is
        t = time.perf_counter()
        push_graphs(base + "/query", ds.graphs)
        if synthetic_for_gsp:
            with open(synthetic_for_gsp, "rb") as f:
                r = requests.put(base + "/store", params={"graph": SYNTH_GRAPH}, data=f,
                                 headers={"Content-Type": "application/n-triples"}, timeout=3600)
            r.raise_for_status()
        load_s = time.perf_counter() - t + bulk_s
        remote = RemoteStore(base + "/query")
        n = int(remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=600)[0]["n"])
        out = {"triples": n, "load_s": load_s}
        if bulk_s:
            out["bulk_load_s"] = bulk_s
        qs = page_queries()
        out["queries"] = {name: timed(lambda: remote.query(text, b, timeout=120, max_rows=100_000), repeat)
                          for name, (text, b) in qs.items()}
        out["server_peak_rss_mb"] = peak_rss_mb(server.pid)
        out["disk_mb"] = sum(f.stat().st_size for f in (tmp / "db").rglob("*") if f.is_file()) / 2**20
        out["client_peak_rss_mb"] = peak_rss_mb()
        if not ratio:
            return out

        # Our /sparql (embedded Oxigraph with the same data) against the Oxigraph server's own /query.
        app_port = free_port()
        cmd = [str(Path(sys.executable).parent / "migratie-kg"), "serve", "--host", "127.0.0.1", "--port",
               str(app_port), "--threads", "8", "--timeout", "120", "--max-rows", "100000"]
        if synthetic:
            cmd += ["--load", synthetic, SYNTH_GRAPH]
        app_proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = f"http://127.0.0.1:{app_port}/sparql"
        # And our /sparql in front of the same Oxigraph server (--endpoint): the same engine and storage, so
        # the difference is our layer alone (parsing checks, SPARQLWrapper, re-serialisation).
        proxy_port = free_port()
        proxy_proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "migratie-kg"), "serve", "--host", "127.0.0.1", "--port",
             str(proxy_port), "--threads", "8", "--timeout", "120", "--max-rows", "100000",
             "--endpoint", base + "/query"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = f"http://127.0.0.1:{proxy_port}/sparql"
        try:
            wait_http(ours + "?query=ASK%7B%7D", proc=app_proc)
            wait_http(proxy + "?query=ASK%7B%7D", proc=proxy_proc)
            theirs = base + "/query"
            s = requests.Session()
            hdr = {"Accept": "application/sparql-results+json"}
            ratios = {}
            for name, (text, b) in qs.items():
                q = bind(text, b)
                urls = (ours, proxy, theirs)
                for url in urls:  # warm-up
                    s.post(url, data={"query": q}, headers=hdr, timeout=300).raise_for_status()
                lat = {u: [] for u in urls}
                for _ in range(repeat):  # interleaved, so drift in machine load hits all alike
                    for u in urls:
                        t = time.perf_counter()
                        s.post(u, data={"query": q}, headers=hdr, timeout=300).raise_for_status()
                        lat[u].append(time.perf_counter() - t)
                ratios[name] = tuple(statistics.median(lat[u]) * 1000 for u in urls)
        finally:
            proxy_proc.terminate()
            proxy_proc.wait(timeout=30)
        out["endpoint_ratio"] = ratios
        return out
    finally:
        for p in (app_proc, server):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def worker_virtuoso(synthetic: str | None, repeat: int) -> dict:
    """Virtuoso (Debian virtuoso-opensource, bench/virtuoso.py): the curated graphs written as N-Triples and the
    synthetic file loaded with the bulk loader (ld_add, rdf_loader_run, checkpoint), queried through RemoteStore."""
    from app.store import RemoteStore
    from virtuoso import Virtuoso

    v = Virtuoso(data_dirs=[Path(synthetic).resolve().parent] if synthetic else [])
    try:
        t = time.perf_counter()
        v.start()
        start_s = time.perf_counter() - t
        times = v.load(synthetic)
        remote = RemoteStore(v.endpoint)
        n = int(remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=600)[0]["n"])
        out = {"triples": n, "load_s": times["bulk_load_s"], "bulk_load_s": times["bulk_load_s"],
               "prepare_curated_s": times["prepare_s"], "start_s": start_s,
               "rss_after_load_mb": v.rss_mb("VmRSS")}
        out["queries"] = {}
        for name, (text, b) in page_queries().items():
            try:
                out["queries"][name] = timed(lambda: remote.query(text, b, timeout=300, max_rows=100_000), repeat)
            except Exception as e:  # a query the server refuses is a result too
                out["queries"][name] = f"{type(e).__name__}: {str(e)[:200]}"
        out["server_peak_rss_mb"] = v.rss_mb("VmHWM")
        out["disk_mb"] = sum(f.stat().st_size for f in v.db.rglob("*") if f.is_file()) / 2**20
        out["client_peak_rss_mb"] = peak_rss_mb()
        return out
    finally:
        v.stop()


# ---------------------------------------------------------------------------------------------------------------


def run_worker(name: str, synthetic: str | None, repeat: int, timeout: float, ratio: bool = True,
               bulk: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--worker", name, "--repeat", str(repeat)] + ([] if ratio else ["--no-ratio"])
    cmd += ["--bulk"] if bulk else []
    if synthetic:
        cmd += ["--synthetic", synthetic]
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    if p.returncode != 0:
        return {"error": (p.stderr or p.stdout).strip().splitlines()[-1][:300] if (p.stderr or p.stdout) else "failed"}
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall_s"] = time.perf_counter() - t
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="report,1000000")
    ap.add_argument("--backends", default="oxigraph-memory,oxigraph-disk,oxigraph-server",
                    help="comma-separated; also: virtuoso (needs the Debian package virtuoso-opensource)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=1800, help="per measurement, seconds")
    ap.add_argument("--out", default="/tmp/scale.json")
    ap.add_argument("--no-ratio", action="store_true", help="skip the endpoint comparison (it starts two more servers)")
    ap.add_argument("--print", action="store_true", help="only print the tables of --out")
    ap.add_argument("--bulk", action="store_true",
                    help="oxigraph-server: load the synthetic file with `oxigraph load` instead of a GSP PUT")
    ap.add_argument("--worker")
    ap.add_argument("--synthetic")
    ap.add_argument("--synthetic-file", help="use this N-Triples file (one size only) instead of generating one")
    args = ap.parse_args(argv)

    if args.worker:
        if args.worker == "oxigraph-memory":
            res = worker_embedded(args.synthetic, False, args.repeat)
        elif args.worker == "oxigraph-disk":
            res = worker_embedded(args.synthetic, True, args.repeat)
        elif args.worker == "virtuoso":
            res = worker_virtuoso(args.synthetic, args.repeat)
        else:
            res = worker_server(args.synthetic, args.repeat, not args.no_ratio, args.bulk)
        print(json.dumps(res))
        return 0

    if args.print:
        print_tables(json.loads(Path(args.out).read_text()))
        return 0
    import generate

    results = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {}
    tmp = Path(tempfile.mkdtemp(prefix="scale-data-"))
    try:
        for size in args.sizes.split(","):
            synthetic = None
            if size != "report" and args.synthetic_file:
                synthetic = args.synthetic_file  # given, not generated (and not deleted)
            elif size != "report":
                synthetic = str(tmp / f"synthetisch-{size}.nt")
                t = time.perf_counter()
                with open(synthetic, "w", encoding="utf-8", buffering=1 << 20) as f:
                    n = generate.generate(f, int(size))
                print(f"generated {n} synthetic triples in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
            for backend in args.backends.split(","):
                print(f"{size} {backend} ...", file=sys.stderr, flush=True)
                res = run_worker(backend, synthetic, args.repeat, args.timeout, not args.no_ratio, args.bulk)
                results[f"{size}|{backend}"] = res
                Path(args.out).write_text(json.dumps(results, indent=1))
                print(json.dumps(res), file=sys.stderr, flush=True)
            if synthetic and synthetic != args.synthetic_file:
                os.unlink(synthetic)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_tables(results)
    return 0


def print_tables(results: dict) -> None:
    print("| size | backend | triples | load s | peak RSS MB | disk MB | notes |")
    print("|---|---|---|---|---|---|---|")
    for key, r in results.items():
        size, backend = key.split("|")
        if "error" in r:
            print(f"| {size} | {backend} | | | | | {r['error']} |")
            continue
        rss = r.get("peak_rss_mb") or r.get("server_peak_rss_mb")
        notes = ""
        if "reopen_s" in r:
            notes = f"restart: stamp current={r['reopen_current']}, reopen {r['reopen_s'] * 1000:.0f} ms"
        if backend == "virtuoso":
            notes = (f"server RSS (VmHWM of virtuoso-t, buffers sized for 4 GB); bulk loader incl. checkpoint; "
                     f"writing the curated N-Triples {r['prepare_curated_s']:.1f} s not included")
        elif "server_peak_rss_mb" in r:
            notes = f"server RSS; loader client RSS {r['client_peak_rss_mb']:.0f} MB"
            if "bulk_load_s" in r:
                notes += f"; synthetic file with `oxigraph load` ({r['bulk_load_s']:.0f} s, RSS of that not measured)"
        disk = f"{r['disk_mb']:.0f}" if "disk_mb" in r else ""
        print(f"| {size} | {backend} | {r['triples']} | {r['load_s']:.1f} | {rss:.0f} | {disk} | {notes} |")
    names = list(page_queries())
    print("\np50 / p95 ms per page query\n")
    print("| size | backend | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for key, r in results.items():
        if "queries" not in r:
            continue
        size, backend = key.split("|")
        cells = [f"{r['queries'][n][0]:.1f} / {r['queries'][n][1]:.1f}" if isinstance(r["queries"].get(n), list)
                 else str(r["queries"].get(n, ""))[:60] for n in names]
        print(f"| {size} | {backend} | " + " | ".join(cells) + " |")
    print("\nour /sparql vs Oxigraph server /query, median ms over HTTP, same queries interleaved in one run\n")
    print("| size | query | our /sparql (embedded) | our /sparql (--endpoint = that server) | Oxigraph /query "
          "| ratio embedded | ratio via --endpoint |")
    print("|---|---|---|---|---|---|---|")
    for key, r in results.items():
        for name, ms in r.get("endpoint_ratio", {}).items():
            ours, theirs = ms[0], ms[-1]
            proxy = f"{ms[1]:.1f}" if len(ms) == 3 else ""
            pr = f"{ms[1] / theirs:.2f}x" if len(ms) == 3 else ""
            print(f"| {key.split('|')[0]} | {name} | {ours:.1f} | {proxy} | {theirs:.1f} | {ours / theirs:.2f}x | {pr} |")


if __name__ == "__main__":
    sys.exit(main())
