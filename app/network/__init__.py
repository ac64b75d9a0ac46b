"""The actor network: a networkx projection of the graph, built from SPARQL on any store.

Nodes are organisations, procedure steps and procedures. Edges are the qualified organisation links
(typed, with quote and section), an organisation's participation in a step (with its role), a step's
place in its procedure, and the order of steps. On it:

- `find_paths(a, b)`: shortest paths between two entities, each hop explained in a sentence with provenance;
- `centrality()`: actors ranked by betweenness in the organisation projection;
- `trace(procedure)`: the steps in order, who handles each, and the handovers between organisations;
- `actor(org)`: every step of every procedure an organisation takes part in, and its links.

Names resolve from abbreviations, labels or IRIs (`resolve`); an unknown name raises `UnknownEntity`
with suggestions. Every function returns plain dicts, the JSON the browser and the CLI share.
"""
from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files

import networkx as nx

from ..store import Store

QUERY_DIR = files(__package__) / "queries"
RESPONSIBLE = "https://w3id.org/migratie-kg/def#ResponsibleRole"


def _query(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def fold(text: str) -> str:
    """Lower-case without accents, for tolerant matching of names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)).strip()


class UnknownEntity(LookupError):
    def __init__(self, name: str, suggestions: list[dict]):
        self.name, self.suggestions = name, suggestions
        hint = "; did you mean: " + ", ".join(f"{s['label']}" for s in suggestions) if suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")


@dataclass
class Hop:
    source: str
    target: str
    sentence: str
    relation: str
    quote: str | None
    section: str | None
    section_label: str | None


class ActorNetwork:
    def __init__(self, store: Store):
        self.store = store
        self.labels: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.names: dict[str, set[str]] = defaultdict(set)  # folded name -> IRIs
        self.graph = nx.MultiDiGraph()
        self._load()

    # -- building
    def _load(self) -> None:
        for r in self.store.select(_query("names")):
            iri, name = str(r["entity"]), r["name"]
            kind = str(r["kind"]).rsplit("#", 1)[-1]
            self.kinds.setdefault(iri, "Procedure" if kind == "Procedure" else "Step" if kind == "ProcedureStep" else "Organisation")
            if getattr(name, "language", None) in ("nl", None) and (iri not in self.labels or len(str(name)) > len(self.labels[iri])):
                # prefer the longest Dutch name as the display label (the full name over an abbreviation)
                self.labels[iri] = str(name)
            self.names[fold(str(name))].add(iri)
        for iri in self.kinds:
            self.names[fold(iri.rsplit("/", 1)[-1])].add(iri)
            self.graph.add_node(iri, kind=self.kinds[iri], label=self.labels.get(iri, iri))

        for r in self.store.select(_query("links")):
            s, t = str(r["source"]), str(r["target"])
            relation = str(r.get("relationLabel") or str(r["relation"]).rsplit("#", 1)[-1])
            self._edge(s, t, relation=relation, kind="link", quote=_s(r.get("quote")), section=_s(r.get("section")),
                       section_label=_s(r.get("sectionLabel")), procedure=_s(r.get("procedure")),
                       sentence=f"{self.label(s)} {relation} {self.label(t)}")
        for r in self.store.select(_query("participations")):
            org, step, proc = str(r["org"]), str(r["step"]), str(r["procedure"])
            role = str(r.get("roleLabel") or "betrokken")
            self.graph.nodes[step]["order"] = int(r["order"]) if r.get("order") is not None else None
            self.graph.nodes[step]["procedure"] = proc
            self._edge(org, step, relation=role, kind="participation", quote=_s(r.get("quote")),
                       section=_s(r.get("section")), section_label=_s(r.get("sectionLabel")), procedure=proc,
                       role=_s(r.get("role")),
                       sentence=f"{self.label(org)} is {role} in de stap '{self.label(step)}' van {self.label(proc)}")
        for r in self.store.select(_query("procedures")):
            proc = str(r["procedure"])
            if r.get("step") is not None:
                step = str(r["step"])
                self._edge(step, proc, relation="onderdeel van", kind="step-of", quote=None, section=None,
                           section_label=None, procedure=proc,
                           sentence=f"'{self.label(step)}' is een stap van {self.label(proc)}")
            if r.get("firstStep") is not None:
                self.graph.nodes[proc]["first_step"] = str(r["firstStep"])
        for r in self.store.select(_query("step-order")):
            a, b = str(r["from"]), str(r["to"])
            outcome = _s(r.get("outcomeLabel"))
            sentence = (f"na '{self.label(a)}' volgt bij {outcome} '{self.label(b)}'" if outcome
                        else f"na '{self.label(a)}' volgt '{self.label(b)}'")
            self._edge(a, b, relation=f"bij {outcome}" if outcome else "volgende stap", kind="next", quote=None,
                       section=None, section_label=None, procedure=None, outcome=outcome, sentence=sentence)

    def _edge(self, a, b, **data):
        for n in (a, b):
            if n not in self.graph:
                self.graph.add_node(n, kind=self.kinds.get(n, "Other"), label=self.label(n))
        self.graph.add_edge(a, b, **data)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    # -- resolving names
    def resolve(self, name: str, kind: str | None = None) -> str:
        """The IRI an abbreviation, label, slug or IRI stands for; UnknownEntity with suggestions otherwise."""
        if name in self.graph:
            return name
        candidates = [i for i in self.names.get(fold(name), ()) if kind is None or self.kinds.get(i) == kind]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:  # an abbreviation shared by several things: prefer an organisation
            candidates.sort(key=lambda i: (self.kinds.get(i) != "Organisation", i))
            return candidates[0]
        raise UnknownEntity(name, self.suggest(name, kind))

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[dict]:
        folded = fold(name)
        keys = [k for k, iris in self.names.items() if kind is None or any(self.kinds.get(i) == kind for i in iris)]
        close = difflib.get_close_matches(folded, keys, n=n, cutoff=0.6)
        close += [k for k in keys if folded and folded in k and k not in close][: n - len(close)]
        out, seen = [], set()
        for k in close:
            for iri in sorted(self.names[k]):
                if iri not in seen and (kind is None or self.kinds.get(iri) == kind):
                    seen.add(iri)
                    out.append({"iri": iri, "label": self.label(iri)})
        return out[:n]

    # -- analyses
    def find_paths(self, a: str, b: str, limit: int = 5, via_steps: bool = True) -> dict:
        """Shortest paths between two entities (direction ignored), each hop explained with provenance."""
        src, dst = self.resolve(a), self.resolve(b)
        view = self.graph.to_undirected(as_view=True)
        if not via_steps:
            view = nx.subgraph_view(view, filter_node=lambda n: self.kinds.get(n) == "Organisation" or n in (src, dst))
        paths = []
        try:
            for nodes in nx.all_shortest_paths(view, src, dst):
                paths.append([self._explain(x, y) for x, y in zip(nodes, nodes[1:])])
                if len(paths) >= limit:
                    break
        except nx.NetworkXNoPath:
            pass
        return {"from": self._node(src), "to": self._node(dst), "paths": paths, "length": len(paths[0]) if paths else None}

    def _explain(self, x: str, y: str) -> dict:
        """The best-documented edge between two adjacent nodes, in either direction."""
        edges = [(x, y, d) for d in (self.graph.get_edge_data(x, y) or {}).values()]
        edges += [(y, x, d) for d in (self.graph.get_edge_data(y, x) or {}).values()]
        edges.sort(key=lambda e: (e[2]["kind"] != "link", e[2].get("quote") is None))
        s, t, d = edges[0]
        return {"from": self._node(x), "to": self._node(y), "direction": "forward" if s == x else "backward",
                "relation": d["relation"], "sentence": d["sentence"], "quote": d.get("quote"),
                "section": d.get("section"), "section_label": d.get("section_label")}

    def _node(self, iri: str) -> dict:
        return {"iri": iri, "label": self.label(iri), "kind": self.kinds.get(iri, "Other")}

    @cached_property
    def organisation_graph(self) -> nx.Graph:
        """Organisations only: linked by a stated link, or by taking part in the same step."""
        g = nx.Graph()
        g.add_nodes_from(i for i, k in self.kinds.items() if k == "Organisation")
        for s, t, d in self.graph.edges(data=True):
            if d["kind"] == "link" and s != t:
                g.add_edge(s, t)
        by_step = defaultdict(set)
        for s, t, d in self.graph.edges(data=True):
            if d["kind"] == "participation":
                by_step[t].add(s)
        for orgs in by_step.values():
            orgs = sorted(orgs)
            g.add_edges_from((a, b) for i, a in enumerate(orgs) for b in orgs[i + 1:])
        return g

    def centrality(self, top: int | None = None) -> list[dict]:
        g = self.organisation_graph
        between = nx.betweenness_centrality(g)
        ranked = sorted(g.nodes, key=lambda n: (-between[n], -g.degree(n), self.label(n)))
        out = [{"iri": n, "label": self.label(n), "betweenness": round(between[n], 4), "degree": g.degree(n)}
               for n in ranked if g.degree(n) > 0]
        return out[:top] if top else out

    def steps_in_order(self, procedure: str) -> list[str]:
        """The steps of a procedure, breadth-first from its first step along next steps and outcomes,
        then any step not reachable that way by its mkg:order."""
        steps = {s for s, t, d in self.graph.in_edges(procedure, data=True) if d["kind"] == "step-of"}
        first = self.graph.nodes[procedure].get("first_step")
        ordered, queue = [], [first] if first in steps else []
        while queue:
            step = queue.pop(0)
            if step in ordered or step not in steps:
                continue
            ordered.append(step)
            nexts = [t for _, t, d in self.graph.out_edges(step, data=True) if d["kind"] == "next"]
            queue.extend(sorted(nexts, key=lambda s: (self.graph.nodes[s].get("order") or 0, s)))
        rest = sorted(steps - set(ordered), key=lambda s: (self.graph.nodes[s].get("order") or 0, s))
        return ordered + rest

    def trace(self, procedure_name: str) -> dict:
        proc = self.resolve(procedure_name, kind="Procedure")
        steps = []
        for step in self.steps_in_order(proc):
            actors = [{"iri": s, "label": self.label(s), "role": d["relation"], "role_iri": d.get("role")}
                      for s, _, d in self.graph.in_edges(step, data=True) if d["kind"] == "participation"]
            actors.sort(key=lambda a: (a["role_iri"] != RESPONSIBLE, a["label"]))
            nexts = [{"iri": t, "label": self.label(t), "outcome": d.get("outcome")}
                     for _, t, d in self.graph.out_edges(step, data=True) if d["kind"] == "next"]
            quote, section = self._step_provenance(step)
            steps.append({"iri": step, "label": self.label(step), "order": self.graph.nodes[step].get("order"),
                          "actors": actors, "next": nexts, "quote": quote, "section": section})
        return {"procedure": self._node(proc), "steps": steps, "handovers": self.handovers(proc, steps)}

    def _step_provenance(self, step):
        for _, _, d in self.graph.in_edges(step, data=True):
            if d["kind"] == "participation":
                return d.get("quote"), d.get("section")
        return None, None

    def handovers(self, proc: str, steps: list[dict]) -> list[dict]:
        """Who passes the case to whom: the stated handover links of the procedure, then changes of the
        responsible organisation from one step to the next."""
        out = []
        for s, t, d in self.graph.edges(data=True):
            if d["kind"] == "link" and d.get("procedure") == proc:
                out.append({"from": self._node(s), "to": self._node(t), "relation": d["relation"],
                            "stated": True, "quote": d.get("quote"), "section": d.get("section")})
        by_iri = {s["iri"]: s for s in steps}
        for step in steps:
            lead = _responsible(step)
            for nxt in step["next"]:
                target = by_iri.get(nxt["iri"])
                after = _responsible(target) if target else None
                if lead and after and lead["iri"] != after["iri"]:
                    out.append({"from": {"iri": lead["iri"], "label": lead["label"]},
                                "to": {"iri": after["iri"], "label": after["label"]},
                                "relation": f"na '{step['label']}'" + (f" bij {nxt['outcome']}" if nxt["outcome"] else ""),
                                "stated": False, "quote": None, "section": None})
        return out

    def actor(self, name: str) -> dict:
        org = self.resolve(name, kind="Organisation")
        steps = []
        for _, step, d in self.graph.out_edges(org, data=True):
            if d["kind"] == "participation":
                proc = self.graph.nodes[step].get("procedure")
                steps.append({"procedure": self._node(proc) if proc else None, "step": self._node(step),
                              "order": self.graph.nodes[step].get("order"), "role": d["relation"],
                              "quote": d.get("quote"), "section": d.get("section")})
        steps.sort(key=lambda s: ((s["procedure"] or {}).get("label", ""), s["order"] or 0))
        links = []
        for s, t, d in list(self.graph.out_edges(org, data=True)) + list(self.graph.in_edges(org, data=True)):
            if d["kind"] == "link":
                links.append({"from": self._node(s), "to": self._node(t), "relation": d["relation"],
                              "sentence": d["sentence"], "quote": d.get("quote"), "section": d.get("section"),
                              "section_label": d.get("section_label")})
        return {"organisation": self._node(org), "steps": steps, "links": links}


def _responsible(step: dict | None):
    if not step or not step["actors"]:
        return None
    return step["actors"][0]


def _s(term):
    return None if term is None else str(term)
