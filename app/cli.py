"""The `migratie-kg` command: a thin wrapper over the same functions the web layer uses."""
from __future__ import annotations

import argparse
import csv
import json
import sys
import threading
from pathlib import Path

from . import loader, queries
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_WORKERS
from .store import StoreError, open_store

EXPORT_FORMATS = {"turtle": ("turtle", "ttl"), "nt": ("nt", "nt"), "jsonld": ("json-ld", "jsonld"), "trig": ("trig", "trig")}


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=["oxigraph", "rdflib", "remote"], default="oxigraph",
                   help="store backend (default: embedded Oxigraph)")
    p.add_argument("--store-dir", help="persistent Oxigraph store directory (default: in memory)")
    p.add_argument("--endpoint", help="SPARQL endpoint URL for --backend remote (or $MIGRATIE_KG_ENDPOINT)")
    p.add_argument("--no-cache", action="store_true", help="run the SHACL gate even if these inputs passed before")


def _load(args, extra=None):
    """Open the configured store and run files -> gate -> store; print the report and exit on failure."""
    import os

    endpoint = args.endpoint or os.environ.get("MIGRATIE_KG_ENDPOINT")
    backend = "remote" if args.endpoint else args.backend
    store = open_store(backend, store_dir=args.store_dir, endpoint=endpoint)
    loaded = loader.build(store, use_cache=not args.no_cache, extra=extra,
                          fill_remote=getattr(args, "push", False))
    return store, loaded


def cmd_validate(args) -> int:
    ds = loader.read_dataset()
    results = loader.validate(ds, use_cache=not args.no_cache)
    report = loader.format_report(results)
    failed = any(v.severity == "Violation" for v in results)
    if report:
        print(report, file=sys.stderr if failed else sys.stdout)
    if failed:
        return 1
    print(f"OK: {ds.triple_count()} triples in {len(ds.graphs)} graphs conform to the shapes.")
    return statistics_section(ds)


def statistics_section(ds) -> int:
    """The statistics part of `validate`: the report's own consistency and the W3C Data Cube constraints."""
    try:
        from .stats.check import check_stats, datacube_integrity
    except ModuleNotFoundError:
        return 0
    from .store import OxigraphStore

    store = OxigraphStore()
    loader.fill(store, ds)
    discrepancies = check_stats(store)
    violations = [v for v in datacube_integrity(store, include_info=False) if v.severity == "violation"]
    for d in discrepancies:
        print(f"  report inconsistency: {d.figure}: published {d.published}, recomputed {d.expected}")
    for v in violations:
        print(f"  Data Cube {v.ic} {v.title}: {v.focus}: {v.detail}", file=sys.stderr)
    print(f"Statistics: {len(discrepancies)} published change(s)/total(s) differ from the recomputed value "
          f"beyond rounding (kept as published); {len(violations)} W3C Data Cube integrity violation(s).")
    return 1 if violations else 0


def cmd_serve(args) -> int:
    import waitress

    from . import create_app

    extra = [(Path(f), g) for f, g in args.load or []]
    config = {"BACKEND": args.backend, "STORE_DIR": args.store_dir, "ENDPOINT": args.endpoint, "PUSH": args.push,
              "QUERY_TIMEOUT": args.timeout, "MAX_ROWS": args.max_rows, "QUERY_MEMORY_MB": args.query_memory,
              "QUERY_WORKERS": args.query_workers,
              "EXTRA_GRAPHS": extra,
              "USE_VALIDATION_CACHE": not args.no_cache}
    if args.endpoint and args.backend == "oxigraph":
        config["BACKEND"] = "remote"
    app = create_app(config)
    kg = app.extensions["migratie_kg"]
    print(f"Serving {kg.triples} triples from {kg.store.name} on http://{args.host}:{args.port}/ "
          f"(SPARQL at /sparql)", flush=True)
    threading.Thread(target=_warm_up, args=(app,), name="warm-up", daemon=True).start()
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="migratie-kg")
    return 0


# Pages whose first view builds a per-app cache from queries that grow with the data (the search index,
# the actor network, the home page's numbers): built right after start, so no visitor waits for them.
WARM_UP_PATHS = ("/", "/search.json?q=ind", "/netwerk.json", "/statistiek")


def _warm_up(app) -> None:
    client = app.test_client()
    for path in WARM_UP_PATHS:
        client.get(path)


def _read_query(text: str) -> str:
    path = Path(text)
    if len(text) < 4096 and "\n" not in text and path.suffix in (".rq", ".sparql") and path.exists():
        return path.read_text(encoding="utf-8")
    return text


def cmd_query(args) -> int:
    store, _ = _load(args)
    result = store.query(_read_query(args.query))
    if result.kind == "ask":
        print("true" if result.boolean else "false")
        return 0
    if result.kind == "graph":
        sys.stdout.write(result.graph.serialize(format="turtle"))
        return 0
    if args.format == "json":
        print(json.dumps([{k: str(v) for k, v in row.items()} for row in result.dicts()], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow(["" if t is None else str(t) for t in row])
    else:
        print_table(result.variables, [["" if t is None else str(t) for t in row] for row in result.rows])
    if result.truncated:
        print(f"(result truncated to {len(result.rows)} rows)", file=sys.stderr)
    return 0


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    print(fmt.format(*header))
    print(fmt.format(*("-" * w for w in widths)))
    for r in rows:
        print(fmt.format(*(c if len(c) <= 60 else c[:57] + "..." for c in r)))
    print(f"({len(rows)} rows)")


def cmd_export(args) -> int:
    import rdflib

    ds = loader.read_dataset()
    loader.gate(ds, use_cache=not args.no_cache)
    fmt, _ = EXPORT_FORMATS[args.format]
    if fmt == "trig":
        out = rdflib.Dataset()
        for name, g in ds.rdflib_graphs().items():
            target = out.graph(rdflib.URIRef(name))
            for t in g:
                target.add(t)
        data = out.serialize(format="trig", encoding="utf-8")
    else:
        data = ds.union().serialize(format=fmt, encoding="utf-8", **({"auto_compact": False} if fmt == "json-ld" else {}))
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"Wrote {args.output}")
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_stats(args) -> int:
    store, loaded = _load(args)
    ds = loaded.dataset or loader.read_dataset()  # a current persistent store was not parsed; the files tell
    print_table(["graph", "file", "triples"],
                [[name, str(ds.files.get(name, "(derived)")), str(len(ts))] for name, ts in sorted(ds.graphs.items())])
    print()
    rows = store.select(queries.load("home/counts"))
    print_table(["class", "instances"], [[str(r["class"]), str(r["count"])] for r in rows])
    return 0


def cmd_push(args) -> int:
    from .store import push_graphs

    ds = loader.read_dataset()
    loader.gate(ds, use_cache=not args.no_cache)
    push_graphs(args.endpoint, ds.graphs, args.store_url)
    print(f"Loaded {ds.triple_count()} triples in {len(ds.graphs)} graphs into {args.store_url or args.endpoint}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="migratie-kg", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="load ontology + data and run the SHACL shapes")
    p.add_argument("--no-cache", action="store_true", help="run the SHACL gate even if these inputs passed before")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("serve", help="validate and serve the browser and the SPARQL endpoint")
    _store_options(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--threads", type=int, default=8, help="worker threads of the WSGI server")
    p.add_argument("--timeout", type=float, default=10.0, help="query time limit in seconds")
    p.add_argument("--max-rows", type=int, default=10_000, help="result row cap of the endpoint")
    p.add_argument("--query-memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help="memory one /sparql query may use on the embedded backends before it is stopped")
    p.add_argument("--query-workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                   help="processes answering /sparql queries on the embedded backends (queries beyond wait)")
    p.add_argument("--push", action="store_true", help="with --endpoint: load the validated data into it first")
    p.add_argument("--load", nargs=2, action="append", metavar=("FILE", "GRAPH_IRI"),
                   help="also load FILE into the named graph GRAPH_IRI (repeatable)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("query", help="run a SPARQL query (text or a .rq file)")
    _store_options(p)
    p.add_argument("query", help="SPARQL text or path to a .rq file")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the whole graph")
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="turtle")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--no-cache", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="triples per file and instances per class")
    _store_options(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("push", help="load the validated data into a remote store (Graph Store Protocol)")
    p.add_argument("--endpoint", required=True, help="SPARQL query endpoint, e.g. http://127.0.0.1:7878/query")
    p.add_argument("--store-url", help="Graph Store endpoint (default: derived, e.g. http://127.0.0.1:7878/store)")
    p.add_argument("--no-cache", action="store_true")
    p.set_defaults(func=cmd_push)

    _register_optional(sub)
    return parser


def _register_optional(sub) -> None:
    """Commands of the statistics and network modules, which add their own sub-parsers."""
    for module in ("app.stats.cli", "app.network.cli"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError:
            continue
        mod.register(sub, _store_options, _load)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except loader.LoadError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except loader.GateFailed as e:
        print(e.report, file=sys.stderr)
        print("\nThe data does not conform to the shapes; nothing was served.", file=sys.stderr)
        return 1
    except StoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
