"""Bounded load test on loopback: many concurrent clients on a realistic mix, with and without a slow client.

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--threads 16] [--timeout 10] [--runs both]

Starts `migratie-kg serve --threads 16` (waitress, embedded Oxigraph in memory) on a free 127.0.0.1 port, once per
run, and drives it with `--clients` threads (requests sessions) for `--duration` seconds. Every client picks at
random (seeded) from the mix:

    entity pages /id/...              35 %   (300 IRIs of the graph, found through /sparql first)
    /search?q=...                     20 %
    /netwerk.json                     10 %
    example queries (app/queries/examples/*.rq, POST /sparql)   30 %
    /dump.nt                           5 %

Run "without": only those clients. Run "with": the same plus ONE extra client that sends nothing but slow
queries (a cross product of the whole graph, which hits the query time limit), one after the other. Printed:
throughput, p50/p95/p99 latency, errors (status >= 500 or connection errors; the slow client's 503 timeouts are
expected and counted apart), per request type, and the others' p95 with/without the slow client as a ratio.
Stops by itself; a script for the README, never a timed unit test.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SEARCH_TERMS = ["COA", "IND", "asiel", "vreemdelingenwet", "nareis", "Syrië", "taakstelling", "KMar", "Dublin",
                "terugkeer", "arbeidsmigratie", "gezinshereniging", "Oekraïne", "opvang", "naturalisatie"]
MIX = [("entity", 35), ("search", 20), ("network", 10), ("example", 30), ("dump", 5)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]


def start_server(threads: int, timeout: float, extra_args=(), log_path: Path | None = None):
    port = free_port()
    exe = Path(sys.executable).parent / "migratie-kg"
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads),
           "--timeout", str(timeout), *extra_args]
    log = open(log_path or os.devnull, "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log_path}")
        try:
            requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2)
            return proc, url
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start")


def stop_server(proc) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()  # zombie query threads may keep waitress from exiting
        proc.wait(timeout=15)


def targets(url: str) -> dict:
    r = requests.post(url + "/sparql", headers={"Accept": "application/sparql-results+json"}, timeout=60, data={
        "query": """SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/migratie-kg/id/")) }
                    ORDER BY ?s LIMIT 5000"""})
    r.raise_for_status()
    iris = [b["s"]["value"] for b in r.json()["results"]["bindings"]]
    rng = random.Random(1)
    iris = rng.sample(iris, min(300, len(iris)))
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "app" / "queries" / "examples").glob("*.rq"))]
    return {"entity": ["/id/" + i.split("/id/", 1)[1] for i in iris], "example": examples}


def run(url: str, clients: int, duration: float, slow: bool, tg: dict, seed: int = 42) -> dict:
    samples = defaultdict(list)  # kind -> [(latency, ok)]
    errors = defaultdict(int)
    statuses = defaultdict(int)
    slow_results = []
    stop_at = time.monotonic() + duration
    lock = threading.Lock()
    kinds = [k for k, w in MIX for _ in range(w)]

    def client(i: int) -> None:
        rng = random.Random(seed + i)
        s = requests.Session()
        while time.monotonic() < stop_at:
            kind = rng.choice(kinds)
            t = time.perf_counter()
            try:
                if kind == "entity":
                    r = s.get(url + rng.choice(tg["entity"]), headers={"Accept": "text/html"}, timeout=60)
                elif kind == "search":
                    r = s.get(url + "/search", params={"q": rng.choice(SEARCH_TERMS)}, timeout=60)
                elif kind == "network":
                    r = s.get(url + "/netwerk.json", timeout=60)
                elif kind == "dump":
                    r = s.get(url + "/dump.nt", timeout=60)
                else:
                    r = s.post(url + "/sparql", data={"query": rng.choice(tg["example"])},
                               headers={"Accept": "application/sparql-results+json"}, timeout=60)
                code = r.status_code
            except requests.RequestException:
                code = 0
            dt = time.perf_counter() - t
            with lock:
                samples[kind].append(dt)
                statuses[code] += 1
                if code == 0 or code >= 500:
                    errors[kind] += 1

    def slow_client() -> None:
        s = requests.Session()
        while time.monotonic() < stop_at:
            t = time.perf_counter()
            try:
                code = s.post(url + "/sparql", data={"query": SLOW_QUERY}, timeout=120).status_code
            except requests.RequestException:
                code = 0
            slow_results.append((time.perf_counter() - t, code))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    if slow:
        threads.append(threading.Thread(target=slow_client, daemon=True))
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 130)
    elapsed = time.monotonic() - t0
    return {"samples": dict(samples), "errors": dict(errors), "statuses": dict(statuses), "elapsed": elapsed,
            "slow": slow_results}


def summarize(name: str, res: dict) -> dict:
    all_lat = [x for v in res["samples"].values() for x in v]
    n = len(all_lat)
    out = {"run": name, "requests": n, "rps": n / res["elapsed"], "p50": percentile(all_lat, 50) * 1000,
           "p95": percentile(all_lat, 95) * 1000, "p99": percentile(all_lat, 99) * 1000,
           "errors": sum(res["errors"].values()), "statuses": res["statuses"], "per_kind": {}}
    for kind, lat in sorted(res["samples"].items()):
        out["per_kind"][kind] = (len(lat), percentile(lat, 50) * 1000, percentile(lat, 95) * 1000,
                                 percentile(lat, 99) * 1000, res["errors"].get(kind, 0))
    if res["slow"]:
        codes = defaultdict(int)
        for _, c in res["slow"]:
            codes[c] += 1
        out["slow"] = (len(res["slow"]), statistics.median(d for d, _ in res["slow"]), dict(codes))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit (serve --timeout)")
    ap.add_argument("--runs", choices=["both", "without", "with"], default="both")
    ap.add_argument("--log-dir", default="/tmp")
    args = ap.parse_args(argv)

    summaries = []
    for name in (["without", "with"] if args.runs == "both" else [args.runs]):
        proc, url = start_server(args.threads, args.timeout, log_path=Path(args.log_dir) / f"load-{name}.log")
        try:
            tg = targets(url)
            for path in ("/netwerk.json", "/dump.nt", "/search?q=COA"):  # warm the per-app caches once
                requests.get(url + path, timeout=120)
            print(f"run '{name}' slow client: {name == 'with'}, {args.clients} clients, {args.duration:.0f} s ...",
                  file=sys.stderr, flush=True)
            res = run(url, args.clients, args.duration, name == "with", tg)
            # Is the server still answering after the run?
            try:
                alive = requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code
            except requests.RequestException:
                alive = 0
            s = summarize(name, res)
            s["alive_after"] = alive
            summaries.append(s)
        finally:
            stop_server(proc)

    print(f"\n{args.clients} clients, {args.duration:.0f} s per run, serve --threads {args.threads} "
          f"--timeout {args.timeout:g}, loopback, {os.cpu_count()} CPUs\n")
    print("| run | requests | req/s | p50 ms | p95 ms | p99 ms | errors | statuses | answers after run |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in summaries:
        print(f"| {s['run']} slow client | {s['requests']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | "
              f"{s['p99']:.0f} | {s['errors']} | {s['statuses']} | {s['alive_after']} |")
    print("\n| run | type | requests | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for s in summaries:
        for kind, (n, p50, p95, p99, err) in s["per_kind"].items():
            print(f"| {s['run']} | {kind} | {n} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {err} |")
    for s in summaries:
        if "slow" in s:
            n, med, codes = s["slow"]
            print(f"\nslow client: {n} queries, median {med:.1f} s, statuses {codes}")
    if len(summaries) == 2:
        print(f"\nothers' p95 with / without the slow client: {summaries[1]['p95']:.0f} / {summaries[0]['p95']:.0f} ms "
              f"= {summaries[1]['p95'] / summaries[0]['p95']:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
