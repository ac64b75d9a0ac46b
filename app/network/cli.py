"""`migratie-kg path | trace | actor | centrality`: the actor network from the command line."""
from __future__ import annotations

import json
import sys

from . import ActorNetwork, UnknownEntity


def register(sub, store_options, load) -> None:
    def network(args) -> ActorNetwork:
        store, _ = load(args)
        return ActorNetwork(store)

    def run(fn):
        def command(args) -> int:
            try:
                data, text = fn(network(args), args)
            except UnknownEntity as e:
                print(f"error: {e}", file=sys.stderr)
                return 1
            print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text)
            return 0
        return command

    p = sub.add_parser("path", help="shortest paths between two entities, each hop explained (e.g. path IND KMar)")
    store_options(p)
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--orgs-only", action="store_true", help="only hops between organisations (no procedure steps)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(lambda net, a: _path(net.find_paths(a.source, a.target, via_steps=not a.orgs_only))))

    p = sub.add_parser("trace", help="the steps of a procedure in order, who handles each, and the handovers")
    store_options(p)
    p.add_argument("procedure")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(lambda net, a: _trace(net.trace(a.procedure))))

    p = sub.add_parser("actor", help="every step of every procedure an organisation handles, and its links")
    store_options(p)
    p.add_argument("organisation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(lambda net, a: _actor(net.actor(a.organisation))))

    p = sub.add_parser("centrality", help="organisations ranked by betweenness in the actor network")
    store_options(p)
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run(lambda net, a: _centrality(net.centrality(a.top))))


def _source(item) -> str:
    parts = []
    if item.get("quote"):
        parts.append(f'"{item["quote"]}"')
    if item.get("section_label") or item.get("section"):
        parts.append(f"({item.get('section_label') or item['section']})")
    return " ".join(parts)


def _path(data):
    lines = [f"{data['from']['label']} -> {data['to']['label']}"]
    if not data["paths"]:
        lines.append("  no path in the actor network")
    for i, path in enumerate(data["paths"], 1):
        lines.append(f"path {i} ({len(path)} hops):")
        for hop in path:
            lines.append(f"  - {hop['sentence']}")
            if _source(hop):
                lines.append(f"      {_source(hop)}")
    return data, "\n".join(lines)


def _trace(data):
    lines = [f"{data['procedure']['label']}"]
    for i, step in enumerate(data["steps"], 1):
        actors = ", ".join(f"{a['label']} ({a['role']})" for a in step["actors"]) or "no actor stated"
        lines.append(f"{i:>2}. {step['label']}: {actors}")
        for n in step["next"]:
            lines.append(f"      -> {('bij ' + n['outcome'] + ': ') if n['outcome'] else ''}{n['label']}")
    if data["handovers"]:
        lines.append("handovers:")
        for h in data["handovers"]:
            how = "stated" if h["stated"] else "derived from the step order"
            lines.append(f"  {h['from']['label']} -> {h['to']['label']} ({h['relation']}; {how})")
    return data, "\n".join(lines)


def _actor(data):
    lines = [data["organisation"]["label"], "steps:"]
    for s in data["steps"]:
        proc = s["procedure"]["label"] if s["procedure"] else "?"
        lines.append(f"  {proc}: {s['step']['label']} ({s['role']})")
    lines.append("links:")
    for link in data["links"]:
        lines.append(f"  {link['sentence']}  {_source(link)}")
    return data, "\n".join(lines)


def _centrality(rows):
    lines = [f"{'organisation':<60} betweenness  degree"]
    lines += [f"{r['label'][:60]:<60} {r['betweenness']:>11.4f}  {r['degree']:>6}" for r in rows]
    return rows, "\n".join(lines)
