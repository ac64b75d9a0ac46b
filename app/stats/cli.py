"""`migratie-kg check-stats | coverage | convert-stats`: the statistics from the command line.

Registered by app/cli.py (``register(sub, store_options, load)``), like app/network/cli.py.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from . import convert
from .check import check_stats, datacube_integrity
from .coverage import coverage, summary


def register(sub, store_options, load) -> None:
    def cmd_check(args) -> int:
        store, _ = load(args)
        bad = check_stats(store)
        ics = datacube_integrity(store, include_info=args.info)
        violations = [v for v in ics if v.severity == "violation"]
        if args.json:
            print(json.dumps({"discrepancies": [asdict(d) for d in bad], "datacube": [asdict(v) for v in ics]},
                             ensure_ascii=False, indent=2))
        else:
            for d in bad:
                print(f"{d.figure}: {d.kind}: published {d.published}, expected {d.expected}\n    {d.message}")
            for v in ics:
                print(f"[{v.severity}] {v.ic} {v.title}: {v.focus}: {v.detail}")
            print(f"{len(bad)} discrepancies between published and recomputed changes/totals; "
                  f"{len(violations)} W3C Data Cube integrity violations"
                  + (f"; {len(ics) - len(violations)} informational findings (IC-17, sparse tables)" if args.info else ""))
        return 1 if bad or violations else 0

    def cmd_coverage(args) -> int:
        store, _ = load(args)
        rows = coverage(store)
        if args.json:
            print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        else:
            for r in rows:
                if not args.missing or r.status == "not-yet":
                    print(r)
            print(summary(rows))
        return 0

    def cmd_convert(args) -> int:
        return convert.main(["--check"] if args.check else [])

    p = sub.add_parser("check-stats", help="recompute published changes and totals; W3C Data Cube IC-1..IC-21")
    store_options(p)
    p.add_argument("--info", action="store_true", help="also list informational IC-17 findings (sparse tables)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("coverage", help="for each of the 132 figures: in graph (n observations), chart-only or not yet")
    store_options(p)
    p.add_argument("--missing", action="store_true", help="list only figures that are not yet covered")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("convert-stats", help="convert data/stats/*.csv to data/ttl/statistiek/*.ttl")
    p.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    p.set_defaults(func=cmd_convert)
