"""Load the Turtle files, derive what follows from them, run the SHACL gate, fill a store.

Data flows one way: Turtle files -> parse (each file into a named graph of its own) -> derive ->
SHACL gate -> store. The store is filled only after every file parsed and the gate passed, so nothing
is ever served half-loaded. A passing gate is remembered under a hash of every input, so a restart
with unchanged data skips the (slow) SHACL run.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF, SH

from . import queries
from .store import Store, _from_ox

GRAPH_BASE = "https://w3id.org/migratie-kg/graph/"
DERIVED_GRAPH = GRAPH_BASE + "afgeleid"
CODE_VERSION = "1"  # bump when derivation or validation logic changes, to invalidate cached gate results


def project_root() -> Path:
    """Where ontology/, shapes/ and data/ live: $MIGRATIE_KG_ROOT, else the checkout holding this package."""
    env = os.environ.get("MIGRATIE_KG_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parent.parent


class LoadError(Exception):
    """A data file could not be read; the message names the file and line."""


class GateFailed(Exception):
    """The data does not conform to the shapes; `report` is the printable list of violations."""

    def __init__(self, report: str, violations: list["Violation"]):
        super().__init__(report)
        self.report = report
        self.violations = violations


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    shape: str
    value: str
    files: list[str]

    def format(self) -> str:
        where = ", ".join(self.files) or "(no data file: the node only appears as an object)"
        lines = [f"{where}", f"  focus:   {self.focus}", f"  path:    {self.path or '-'}",
                 f"  message: {self.message}"]
        if self.value and self.value != self.focus:
            lines.append(f"  value:   {self.value}")
        return "\n".join(lines)


@dataclass
class Dataset:
    """Every named graph of the knowledge graph, as pyoxigraph triples, with the file each came from."""

    graphs: dict[str, list] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # graph IRI -> file
    extra: set[str] = field(default_factory=set)  # graphs loaded with --load: served, but not ours to gate
    input_hash: str = ""  # of the curated inputs (ontology, data, shapes): the key of the cached gate result

    @property
    def content_stamp(self) -> str:
        """What a persistent store holds: the curated inputs plus any --load graphs (hashed only when asked)."""
        return content_stamp(self.input_hash, [(self.files[name], name) for name in self.extra])

    def triple_count(self) -> int:
        return sum(len(ts) for ts in self.graphs.values())

    def rdflib_graphs(self) -> dict[str, rdflib.Graph]:
        out = {}
        for name, triples in self.graphs.items():
            g = rdflib.Graph()
            for t in triples:
                g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
            out[name] = g
        return out

    def union(self) -> rdflib.Graph:
        g = rdflib.Graph()
        for graph in self.rdflib_graphs().values():
            g += graph
        return g


def data_files(root: Path) -> list[Path]:
    """The ontology and every curated Turtle file, in a stable order."""
    files = sorted((root / "ontology").glob("*.ttl")) + sorted((root / "data" / "ttl").rglob("*.ttl"))
    return [f for f in files if f.is_file()]


def shape_files(root: Path) -> list[Path]:
    return sorted((root / "shapes").glob("*.ttl"))


def graph_iri(path: Path, root: Path) -> str:
    """graph/ontology/<name> for the ontology, graph/<path under data/ttl> for data."""
    rel = path.resolve().relative_to(root.resolve())
    parts = rel.with_suffix("").parts
    if parts[:2] == ("data", "ttl"):
        parts = parts[2:]
    return GRAPH_BASE + "/".join(parts)


def parse_file(path: Path, display: str | None = None) -> list:
    """The triples of one RDF file; a syntax error names the file and the line."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    name = display or str(path)
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except SyntaxError as e:
        line = getattr(e, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise LoadError(f"{where}: syntax error: {e}") from None
    except OSError as e:
        raise LoadError(f"{name}: cannot read: {e}") from None


def _hash_inputs(paths: list[Path]) -> str:
    h = hashlib.sha256(CODE_VERSION.encode())
    for p in paths:
        h.update(str(p).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def read_dataset(root: Path | None = None, extra: list[tuple[Path, str]] | None = None) -> Dataset:
    """Parse every file into its named graph and add the derived graph."""
    root = root or project_root()
    files = data_files(root)
    ds = Dataset()
    errors = []
    for path in files:
        try:
            name = graph_iri(path, root)
            ds.graphs[name] = parse_file(path, str(path.relative_to(root)))
            ds.files[name] = path.relative_to(root)
        except LoadError as e:
            errors.append(str(e))
    for path, name in extra or []:
        try:
            ds.graphs[name] = parse_file(Path(path))
            ds.files[name] = Path(path)
            ds.extra.add(name)
        except LoadError as e:
            errors.append(str(e))
    if errors:
        raise LoadError("\n".join(errors))
    ds.input_hash = _hash_inputs(files + shape_files(root))
    ds.graphs[DERIVED_GRAPH] = derive(ds)
    return ds


def content_stamp(input_hash: str, extra: list[tuple[Path, str]] | None = None) -> str:
    """What a persistent store holds: the curated inputs plus the names and contents of any --load files."""
    if not extra:
        return input_hash
    h = hashlib.sha256(input_hash.encode())
    for path, name in sorted(extra, key=lambda e: e[1]):
        h.update(name.encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def input_stamp(root: Path | None = None, extra: list[tuple[Path, str]] | None = None) -> str:
    """The content stamp of these inputs, from the files' bytes alone (nothing parsed)."""
    root = root or project_root()
    return content_stamp(_hash_inputs(data_files(root) + shape_files(root)), extra)


# Summaries of everything loaded, computed once per load so that pages read numbers instead of counting
# (at 10 M triples a count per request takes tens of seconds). Each is a CONSTRUCT in app/queries/derive/.
SUMMARIES = ("derive/void-summary", "derive/class-partitions", "derive/observation-counts")


def derive(ds: Dataset) -> list:
    """Triples that follow from the loaded ones: the direct triple of each qualified link, then the summaries
    (VoID counts, class partitions, observations per data set) over all of it, link triples included."""
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                        for triples in ds.graphs.values() for t in triples)
    links = list(scratch.query(queries.load("derive/link-triples")))
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in links)
    return links + [t for name in SUMMARIES for t in scratch.query(queries.load(name))]


# ---------------------------------------------------------------------------------------------
# The SHACL gate


def _cache_file(root: Path, key: str) -> Path:
    return root / ".cache" / "validation" / f"{key}.json"


def validate(ds: Dataset, root: Path | None = None, use_cache: bool = True) -> list[Violation]:
    """Run the shapes over the union of all graphs; return every result (violations and warnings)."""
    from pyshacl import validate as shacl_validate

    root = root or project_root()
    cache = _cache_file(root, ds.input_hash)
    if use_cache and cache.exists():
        return [Violation(**v) for v in json.loads(cache.read_text())]

    shapes = rdflib.Graph()
    for path in shape_files(root):
        for t in parse_file(path, str(path.relative_to(root))):
            shapes.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
    data = rdflib.Graph()
    subject_files: dict[rdflib.term.Node, set[str]] = {}
    add = data.add
    for name, triples in ds.graphs.items():
        if name in ds.extra:
            continue
        label = str(ds.files.get(name, name))
        for t in triples:
            s = _from_ox(t.subject)
            add((s, _from_ox(t.predicate), _from_ox(t.object)))
            subject_files.setdefault(s, set()).add(label)
    # inplace: pyshacl would otherwise copy the whole data graph first; no inference runs, so nothing is added.
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
                                          allow_warnings=True, abort_on_first=False)
    if not isinstance(results, rdflib.Graph):  # pyshacl reports broken shapes this way
        raise LoadError(f"the shapes could not be applied: {results}")
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        violations.append(Violation(
            focus=str(focus),
            path=_path_text(results, results.value(r, SH.resultPath)),
            message=str(results.value(r, SH.resultMessage) or "constraint not met"),
            severity=str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            shape=str(results.value(r, SH.sourceShape)),
            value=str(results.value(r, SH.value) or ""),
            files=sorted(subject_files.get(focus, ())),
        ))
    violations.sort(key=lambda v: (v.files, v.focus, v.path, v.message))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps([v.__dict__ for v in violations]))
    return violations


def _path_text(g: rdflib.Graph, path) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return path.n3()


def format_report(violations: list[Violation]) -> str:
    errors = [v for v in violations if v.severity == "Violation"]
    warnings = [v for v in violations if v.severity != "Violation"]
    parts = []
    if errors:
        parts.append(f"{len(errors)} SHACL violation(s):\n" + "\n".join(v.format() for v in errors))
    if warnings:
        parts.append(f"{len(warnings)} warning(s):\n" + "\n".join(v.format() for v in warnings))
    return "\n\n".join(parts)


def gate(ds: Dataset, root: Path | None = None, use_cache: bool = True) -> list[Violation]:
    """Validate and raise GateFailed when any result has severity Violation."""
    results = validate(ds, root, use_cache)
    if any(v.severity == "Violation" for v in results):
        raise GateFailed(format_report(results), results)
    return results


_STAMP = ".migratie-kg-input"


@dataclass
class Loaded:
    """What `build` put in (or found in) the store."""

    graph_names: list[str]
    triples: int
    dataset: Dataset | None  # None when a persistent store already held exactly these inputs: nothing was parsed


def fill(store: Store, ds: Dataset) -> None:
    """Replace the store's content with the dataset (only ever called after the gate passed)."""
    store.replace_all(ds.graphs)
    path = getattr(store, "path", None)
    if path:  # written last: a store killed while filling has no matching stamp and is filled again
        (path / _STAMP).write_text(json.dumps({"inputs": ds.content_stamp, "graphs": sorted(ds.graphs),
                                               "triples": ds.triple_count()}, indent=1))


def stored_content(store: Store, stamp: Callable[[], str]) -> dict | None:
    """The graph names and triple count a persistent store holds, if it holds exactly the inputs whose stamp
    `stamp()` computes (called only for a store that has a stamp: hashing a big --load file takes a while)."""
    from .store import OxigraphStore

    if not (isinstance(store, OxigraphStore) and store.path and (store.path / _STAMP).exists()):
        return None
    try:
        content = json.loads((store.path / _STAMP).read_text())
    except ValueError:  # a stamp of an older version: fill again
        return None
    if not isinstance(content, dict) or content.get("inputs") != stamp() or store.is_empty():
        return None
    return content


def is_current(store: Store, stamp: str) -> bool:
    """True when a persistent store already holds exactly these inputs (restart without reloading)."""
    return stored_content(store, lambda: stamp) is not None


def build(store: Store, root: Path | None = None, *, use_cache: bool = True,
          extra: list[tuple[Path, str]] | None = None, fill_remote: bool = True) -> Loaded:
    """Parse, derive, gate and fill: the whole path from files to a served store.

    A persistent store that already holds exactly these inputs is served as it is: the stamp is a hash of the
    files' bytes, compared before anything is parsed, and the store was gated when it was filled.
    A remote store is filled only when `fill_remote` is set: a deployment on an external server may
    load its data there by other means (`migratie-kg push`, the server's own bulk loader).
    """
    from .store import RemoteStore

    held = stored_content(store, lambda: input_stamp(root, extra))
    if held is not None:
        return Loaded(list(held["graphs"]), int(held["triples"]), None)
    ds = read_dataset(root, extra)
    gate(ds, root, use_cache)
    if not isinstance(store, RemoteStore) or fill_remote:
        fill(store, ds)
    return Loaded(sorted(ds.graphs), ds.triple_count(), ds)
