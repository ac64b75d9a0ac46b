"""Server time per page type of the browser: p50/p95 over repeated requests through the Flask test client.

    .venv/bin/python bench/pages.py [--repeat 30] [--no-gate] [--endpoint http://127.0.0.1:7878/query]

Every page type is requested once to warm the per-app caches (actor network, name index, counts), then
`--repeat` times; the script prints a table of p50/p95/max in milliseconds per page type. `--no-gate` skips
the SHACL gate (for measuring while the data is being curated). `--endpoint` measures the same pages served from
an external SPARQL server that already holds the data (`first` is then the uncached cost of each page). A script,
not a test.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "home": "/",
    "index: organisaties": "/organisaties",
    "index: statistiek": "/statistiek",
    "entity: organisation": "/id/organisatie/coa",
    "entity: procedure (tracer)": "/id/procedure/asielprocedure",
    "entity: law": "/id/wet/vreemdelingenwet-2000",
    "entity: ruling": "/id/uitspraak/ecli-nl-rvs-2022-1973",
    "entity: dataset": "/id/dataset/figuur-53",
    "entity: section": "/id/bron/staat-van-migratie-2025/sectie/4.3.1",
    "entity json twin": "/id/organisatie/ind.json",
    "entity turtle": "/id/organisatie/ind.ttl",
    "dataset csv": "/id/dataset/figuur-53.csv",
    "search": "/search?q=COA",
    "autocomplete": "/search.json?q=vreemdelingewet",
    "network": "/netwerk",
    "network json": "/netwerk.json",
    "path finder": "/pad?van=KMar&naar=DTenV",
    "sparql editor": "/sparql",
    "about": "/over",
    "ontology": "/ontologie",
}


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-gate", action="store_true")
    ap.add_argument("--endpoint", help="serve from this SPARQL endpoint (filled beforehand) instead of embedded Oxigraph")
    args = ap.parse_args(argv)
    from app import create_app, loader

    if args.no_gate:
        loader.gate = lambda *a, **k: []
    t0 = time.perf_counter()
    app = create_app({"BACKEND": "remote", "ENDPOINT": args.endpoint, "QUERY_TIMEOUT": 120.0} if args.endpoint else {})
    print(f"app start: {time.perf_counter() - t0:.1f} s ({app.extensions['migratie_kg'].store.name})")
    client = app.test_client()
    headers = {"Accept": "text/html"}
    rows = []
    for name, url in PAGES.items():
        t = time.perf_counter()
        r = client.get(url, headers=headers)
        first = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url, headers=headers)
            times.append((time.perf_counter() - t) * 1000)
        rows.append((name, first, statistics.median(times), percentile(times, 95), max(times)))
    print(f"{'page':30} {'first':>8} {'p50':>8} {'p95':>8} {'max':>8}   (ms, {args.repeat} requests each)")
    for name, first, p50, p95, mx in rows:
        print(f"{name:30} {first:8.1f} {p50:8.1f} {p95:8.1f} {mx:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
