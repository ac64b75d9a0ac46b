"""The one place the app talks to a SPARQL store.

`Store` is a small interface, "run this SPARQL, give me rows / a boolean / a graph", with three backends:

- `OxigraphStore`: embedded pyoxigraph, the default; in memory, or on disk with a store directory;
- `RdflibStore`: rdflib, the pure-Python reference engine;
- `RemoteStore`: any SPARQL 1.1 endpoint over HTTP through SPARQLWrapper.

Results come back as rdflib terms whatever the backend, so pages, API and CLI never see a difference.
Every data file lives in a named graph of its own; queries see the union of all graphs by default.
Values reach a query only through `bindings`, which become a VALUES block at the start of the query's
top-level WHERE group (the same on every backend), never by pasting text.
"""
from __future__ import annotations

import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import isolation, queries

# rdflib must never fetch FROM / FROM NAMED graphs from the network: look them up in the dataset.
import rdflib.plugins.sparql as _rdflib_sparql

_rdflib_sparql.SPARQL_LOAD_GRAPHS = False

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


class StoreError(Exception):
    """A query could not be answered; the message is meant for the user."""

    status = 500


class QuerySyntaxError(StoreError):
    status = 400


class QueryRefused(StoreError):
    status = 400


class QueryTimeout(StoreError):
    status = 503


class BackendUnavailable(StoreError):
    status = 502


class QueryTooLarge(StoreError):
    """The query needed more memory than a query may use."""

    status = 503


class ServerBusy(StoreError):
    """Every slot for user queries is taken."""

    status = 503


@dataclass
class QueryResult:
    """What a query gives: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None
    truncated: bool = False  # the row cap cut the result short

    def dicts(self) -> list[dict[str, Node]]:
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]


# ---------------------------------------------------------------------------------------------
# Safe binding of values

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def sparql_term(term: Node) -> str:
    """A term as SPARQL syntax, escaped; refuses IRIs that could break out of `<...>`."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryRefused(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise QueryRefused(f"cannot bind a {type(term).__name__} as a query value")


_IRIREF = re.compile(r'<[^\s<>"{}|^`\\]*>')


def _mask_strings_and_comments(text: str) -> str:
    """The query with string literals, IRIs and comments blanked out (same length), for keyword search."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif c == "<" and _IRIREF.match(text, i):
            j = text.index(">", i) + 1
            out.append("<" + " " * (j - i - 2) + ">")
            i = j
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
            out.append(quote[0] + " " * max(0, j - i - 2) + (quote[0] if j - i >= 2 else ""))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)[:n]


_QUERY_FORM = re.compile(r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)  # not ?ask, ex:select


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    m = _QUERY_FORM.search(_mask_strings_and_comments(query))
    return m.group(1).upper() if m else "SELECT"


def bind(query: str, bindings: Mapping[str, Node] | None) -> str:
    """Insert `VALUES (?a ?b) { (x y) }` at the start of the top-level WHERE group."""
    if not bindings:
        return query
    masked = _mask_strings_and_comments(query)
    m = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE)
    if not m:
        raise ValueError("a query with bindings needs an explicit WHERE { ... }")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(sparql_term(t) for t in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    return query[: m.end()] + block + query[m.end():]


# ---------------------------------------------------------------------------------------------
# What a public endpoint refuses before any backend sees the query

_REFUSED_KEYWORDS = {
    "SERVICE": "SERVICE (federated query) is not allowed: this endpoint never makes outbound requests.",
    "LOAD": "SPARQL Update is not allowed: this endpoint is read-only.",
    "INSERT": "SPARQL Update is not allowed: this endpoint is read-only.",
    "DELETE": "SPARQL Update is not allowed: this endpoint is read-only.",
    "CLEAR": "SPARQL Update is not allowed: this endpoint is read-only.",
    "DROP": "SPARQL Update is not allowed: this endpoint is read-only.",
    "CREATE": "SPARQL Update is not allowed: this endpoint is read-only.",
    "COPY": "SPARQL Update is not allowed: this endpoint is read-only.",
    "MOVE": "SPARQL Update is not allowed: this endpoint is read-only.",
    "ADD": "SPARQL Update is not allowed: this endpoint is read-only.",
}
_FROM_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?<([^>]*)>", re.IGNORECASE)


# pyoxigraph's recursive-descent parser overflows the native stack (SIGSEGV, the whole process dies) on
# roughly 1,500 nested brackets; a ~3 KB query `{{{{...}}}}` would take the server down. No real query
# nests anywhere near this deep.
MAX_NESTING = 200


def _nesting_depth(masked: str) -> int:
    depth = deepest = 0
    for c in masked:
        if c in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")}]":
            depth = max(0, depth - 1)
    return deepest


def check_read_only(query: str, known_graphs: Iterable[str]) -> None:
    """Refuse updates, SERVICE and FROM graphs we do not hold (rdflib would fetch those from the web)."""
    masked = _mask_strings_and_comments(query)
    if _nesting_depth(masked) > MAX_NESTING:
        raise QueryRefused(f"The query nests brackets more than {MAX_NESTING} levels deep; simplify it.")
    for word in re.findall(r"(?<![?$:\w])[A-Za-z]+(?![\w:])", masked):
        message = _REFUSED_KEYWORDS.get(word.upper())
        if message:
            raise QueryRefused(message)
    known = set(known_graphs)
    for m in _FROM_CLAUSE.finditer(masked):
        iri = query[m.start(2): m.end(2)]
        if iri not in known:
            raise QueryRefused(
                f"FROM <{iri}> names a graph this endpoint does not hold; it never loads graphs from the web. "
                "Use one of the graphs listed in the service description."
            )


# ---------------------------------------------------------------------------------------------
# Term conversion


def _from_ox(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise StoreError(f"unsupported term from Oxigraph: {term!r}")


def _to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"unsupported term: {term!r}")


def _run_with_timeout(fn, timeout: float | None):
    """Run `fn` in a daemon thread and give up waiting after `timeout` seconds.

    Used for the app's own queries. The thread is a daemon so that a query that is still running when
    its caller gave up never keeps the process from exiting; queries typed by users run in a worker
    process instead (app/isolation.py), which is killed at the limit."""
    if not timeout:
        return fn()
    outcome: dict = {}
    done = threading.Event()

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as e:  # handed to the caller below, without the frames that hold engine objects
            outcome["error"] = e.with_traceback(None)
        finally:
            done.set()

    threading.Thread(target=target, name="sparql-query", daemon=True).start()
    if not done.wait(timeout):
        raise _timeout_error(timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _timeout_error(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"The query did not finish within the time limit of {timeout:g} s. "
        "Add a LIMIT, narrow the patterns, or avoid cross products."
    )


# ---------------------------------------------------------------------------------------------
# Backends


class Store:
    """Interface every backend implements; see the module docstring."""

    name = "abstract"
    timeout: float | None = DEFAULT_TIMEOUT
    max_rows: int | None = DEFAULT_MAX_ROWS
    in_process = True  # the engine runs in this process (so a runaway query must be isolated)

    # -- reading
    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              timeout: float | None = None, max_rows: int | None = None, base_iri: str | None = None,
              isolated: bool = False, serialize_as: str | None = None) -> QueryResult:
        """Run a query. `base_iri` resolves relative IRIs in it (the endpoint passes its own URL).

        `isolated` is for queries users typed: where the engine runs in this process they are answered by a
        worker process (`workers`) that is killed at the time limit or when it outgrows its memory budget.
        With `serialize_as` (a media type of app/results.py) the answer is (bytes, truncated) instead: see `answer`."""
        text = bind(text, bindings)
        if base_iri and _IRI_FORBIDDEN.search(base_iri):
            base_iri = None
        timeout = self.timeout if timeout is None else timeout
        max_rows = self.max_rows if max_rows is None else max_rows
        deadline = time.monotonic() + timeout if timeout else None
        if isolated and self.in_process and isolation.CAN_FORK:
            return self._isolated(text, default_graphs, named_graphs, max_rows, base_iri, timeout, serialize_as)
        return _run_with_timeout(lambda: _finish(
            self._query(text, default_graphs, named_graphs, max_rows, deadline, base_iri), serialize_as), timeout)

    def answer(self, text: str, media_type: str, **kw) -> tuple[bytes, bool]:
        """A query a user typed, answered in a worker (see `query`) as the bytes of `media_type`, and whether its
        rows were cut at `max_rows`. The worker serializes: handing over bytes costs far less than handing
        over rdflib terms (pickling a few thousand literals took longer than the query)."""
        return self.query(text, isolated=True, serialize_as=media_type, **kw)

    # -- the worker processes for queries users type (app/isolation.py)
    _workers: isolation.QueryWorkers | None = None

    def workers(self, memory_mb: int | None = None, size: int | None = None) -> isolation.QueryWorkers:
        """The worker pool, (re)made when asked for another memory budget or size; `start()` forks them."""
        memory_mb = memory_mb or (self._workers.memory_mb if self._workers else isolation.DEFAULT_MEMORY_MB)
        size = size or (self._workers.size if self._workers else isolation.DEFAULT_WORKERS)
        current = self._workers
        if current is None or (current.memory_mb, current.size) != (memory_mb, size):
            self._workers = isolation.QueryWorkers(self._answer_in_worker, command=self._worker_command(),
                                                   size=size, memory_mb=memory_mb,
                                                   recoverable=(StoreError,), failure=StoreError)
            if current is not None:
                current.close()
        return self._workers

    def _worker_command(self) -> list[str] | None:
        """How to start a worker instead of forking one (None: fork; see app/isolation.py)."""
        return None

    def _stop_workers(self) -> None:
        """The workers hold the content as it was when they were forked: they go when it changes."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def _answer_in_worker(self, text, default_graphs, named_graphs, max_rows, base_iri, timeout, serialize_as):
        deadline = time.monotonic() + timeout if timeout else None
        return _finish(self._query(text, default_graphs, named_graphs, max_rows, deadline, base_iri), serialize_as)

    def _isolated(self, text, default_graphs, named_graphs, max_rows, base_iri, timeout, serialize_as):
        pool = self.workers()
        try:
            return pool.run((text, default_graphs, named_graphs, max_rows, base_iri, timeout, serialize_as), timeout)
        except TimeoutError:
            raise _timeout_error(timeout) from None
        except isolation.BusyError as e:
            raise ServerBusy(f"{e.size} queries are already running; try again in a moment.") from None
        except isolation.OutOfMemory:
            raise QueryTooLarge(
                f"The query needed more than the {pool.memory_mb} MB of memory a query may use and was "
                "stopped. Add a LIMIT, narrow the patterns, or avoid deeply nested OPTIONALs and cross "
                "products.") from None
        except isolation.WorkerLost:
            raise StoreError("the query stopped without an answer; try again.") from None

    def select(self, text: str, bindings: Mapping[str, Node] | None = None, **kw) -> list[dict[str, Node]]:
        result = self.query(text, bindings, **kw)
        if result.kind != "select":
            raise StoreError("expected a SELECT query")
        return result.dicts()

    def ask(self, text: str, bindings: Mapping[str, Node] | None = None, **kw) -> bool:
        result = self.query(text, bindings, **kw)
        if result.kind != "ask":
            raise StoreError("expected an ASK query")
        return bool(result.boolean)

    def construct(self, text: str, bindings: Mapping[str, Node] | None = None, **kw) -> rdflib.Graph:
        result = self.query(text, bindings, **kw)
        if result.kind != "graph":
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        return result.graph

    def graph_names(self) -> list[str]:
        rows = self.select(queries.load("store/graph-names"))
        return sorted(str(r["g"]) for r in rows if "g" in r)

    def _query(self, text, default_graphs, named_graphs, max_rows, deadline, base_iri) -> QueryResult:
        raise NotImplementedError

    # -- writing (used by the loader only, never by the endpoint)
    def replace_all(self, graphs: Mapping[str, list]) -> None:
        """Replace the whole content by these named graphs (graph IRI -> pyoxigraph triples)."""
        raise NotImplementedError

    def close(self) -> None:
        self._stop_workers()


def _finish(result: QueryResult, serialize_as: str | None):
    if serialize_as is None:
        return result
    from . import results  # results builds on this module

    return results.serialize(result, serialize_as), result.truncated


def _check_deadline(deadline):
    if deadline and time.monotonic() > deadline:
        raise QueryTimeout("The query did not finish within the time limit. Add a LIMIT or narrow the patterns.")


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path else None
        self.read_only = read_only
        if self.path and read_only:  # a query worker's view of a store the server opened (app/isolation.py)
            self._store = ox.Store.read_only(str(self.path))
        elif self.path:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        else:
            self._store = ox.Store()
        self._lock = threading.Lock()

    def _query(self, text, default_graphs, named_graphs, max_rows, deadline, base_iri):
        kwargs = {"base_iri": base_iri}
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            result = self._store.query(text, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(f"SPARQL syntax error: {e}") from None
        except OSError as e:
            raise StoreError(f"the store could not answer: {e}") from None
        return self._collect(result, max_rows, deadline)

    @staticmethod
    def _collect(result, max_rows, deadline) -> QueryResult:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for i, solution in enumerate(result):
                if max_rows is not None and i >= max_rows:
                    truncated = True
                    break
                if i % 1000 == 0:
                    _check_deadline(deadline)
                rows.append(tuple(_from_ox(solution[v]) for v in variables))
            return QueryResult("select", variables=variables, rows=rows, truncated=truncated)
        graph = rdflib.Graph()
        for i, triple in enumerate(result):
            if i % 1000 == 0:
                _check_deadline(deadline)
            graph.add((_from_ox(triple.subject), _from_ox(triple.predicate), _from_ox(triple.object)))
        return QueryResult("graph", graph=graph)

    def _worker_command(self):
        if self.path is None:
            return None  # in memory: fork, sharing the store copy-on-write
        # on disk: never fork RocksDB (its threads may hold locks); a fresh process opens it read-only
        return [sys.executable, "-m", "app.isolation", "--store-dir", str(self.path)]

    def replace_all(self, graphs):
        self._stop_workers()
        with self._lock:
            self._store.clear()
            self._store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                                    for name, triples in graphs.items() for t in triples)
            if self.path:
                self._store.flush()

    def is_empty(self) -> bool:
        # one quad is enough to know; len() counts every quad (a scan of RocksDB at 10 M triples)
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def close(self):
        """Flush and release the store (a persistent store is locked while open)."""
        self._stop_workers()
        if self._store is not None and self.path and not self.read_only:
            self._store.flush()
        self._store = None


class RdflibStore(Store):
    name = "rdflib"

    def __init__(self):
        self._dataset = rdflib.Dataset(default_union=True)
        self._lock = threading.Lock()

    def _view(self, default_graphs, named_graphs):
        """A dataset holding only the graphs the protocol parameters name."""
        view = rdflib.Dataset(default_union=False)
        # quads() with a graph name reads without creating the graph (Dataset.graph(name) would add an empty
        # graph to the served dataset for every unknown name a request sends)
        for g in default_graphs or []:
            for s, p, o, _ in self._dataset.quads((None, None, None, URIRef(g))):
                view.default_graph.add((s, p, o))
        if default_graphs is None:
            for t in self._dataset.triples((None, None, None)):
                view.default_graph.add(t)
        names = named_graphs if named_graphs is not None else self.graph_names_raw()
        for g in names:
            target = view.graph(URIRef(g))
            for s, p, o, _ in self._dataset.quads((None, None, None, URIRef(g))):
                target.add((s, p, o))
        return view

    def graph_names_raw(self):
        return [str(g.identifier) for g in self._dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID]

    def _query(self, text, default_graphs, named_graphs, max_rows, deadline, base_iri):
        from pyparsing.exceptions import ParseException

        target = self._dataset
        if default_graphs is not None or named_graphs is not None:
            target = self._view(default_graphs, named_graphs)
        try:
            result = target.query(text, base=base_iri)
        except ParseException as e:
            raise QuerySyntaxError(f"SPARQL syntax error at line {e.lineno}, column {e.col}: {e.msg}") from None
        except MemoryError:
            raise
        except Exception as e:  # rdflib raises many kinds for unsupported or bad queries
            raise QuerySyntaxError(f"the query could not be evaluated: {e}") from None
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            rows, truncated = [], False
            for i, row in enumerate(result):
                if max_rows is not None and i >= max_rows:
                    truncated = True
                    break
                if i % 1000 == 0:
                    _check_deadline(deadline)
                rows.append(tuple(row))
            return QueryResult("select", variables=variables, rows=rows, truncated=truncated)
        graph = rdflib.Graph()
        for t in result.graph:
            graph.add(t)
        return QueryResult("graph", graph=graph)

    def replace_all(self, graphs):
        dataset = rdflib.Dataset(default_union=True)
        for name, triples in graphs.items():
            target = dataset.graph(URIRef(name))
            for t in triples:
                target.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
        self._stop_workers()
        with self._lock:
            self._dataset = dataset


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint. Loading goes through the Graph Store Protocol (see `push_graphs`)."""

    name = "remote"
    in_process = False  # the server enforces its own limits; our HTTP timeout bounds the wait

    def __init__(self, endpoint: str, connect_timeout: float = 5.0):
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout

    def _query(self, text, default_graphs, named_graphs, max_rows, deadline, base_iri):
        from SPARQLWrapper import SPARQLWrapper, JSON, TURTLE, POST
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException
        import urllib.error
        import socket

        client = SPARQLWrapper(self.endpoint, agent="migratie-kg")
        client.setMethod(POST)
        client.setQuery(f"BASE <{base_iri}>\n{text}" if base_iri else text)
        for g in default_graphs or []:
            client.addDefaultGraph(g)
        for g in named_graphs or []:
            client.addNamedGraph(g)
        remaining = max(1.0, deadline - time.monotonic()) if deadline else 60.0
        client.setTimeout(int(remaining) + 1)
        # SPARQLWrapper guesses the form from the text and took "per load" in a comment for a LOAD update
        # (then sends it as an update, which the server refuses): tell it what the query is.
        kind = client.queryType = query_form(text)
        graph_query = kind in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            response = client.query()
            raw = response.response.read()
        except QueryBadFormed as e:
            raise QuerySyntaxError(f"the remote endpoint refused the query: {_short(e)}") from None
        except SPARQLWrapperException as e:
            raise StoreError(f"the remote endpoint {self.endpoint} answered with an error: {_short(e)}") from None
        except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as e:
            raise BackendUnavailable(
                f"the SPARQL endpoint {self.endpoint} is unreachable or too slow: {getattr(e, 'reason', e)}"
            ) from None
        if graph_query:
            graph = rdflib.Graph()
            graph.parse(data=raw, format="turtle")
            return QueryResult("graph", graph=graph)
        import json

        data = json.loads(raw)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        rows, truncated = [], False
        for i, b in enumerate(data["results"]["bindings"]):
            if max_rows is not None and i >= max_rows:
                truncated = True
                break
            rows.append(tuple(_from_json(b.get(v)) for v in variables))
        return QueryResult("select", variables=variables, rows=rows, truncated=truncated)

    def replace_all(self, graphs):
        push_graphs(self.endpoint, graphs)


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return " ".join(text)[:500]


_XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"


def _duration_from_number(value: str) -> str | None:
    """Virtuoso stores xsd:duration as a number and answers "15" (months) for P1Y3M, "2.4192e+06" (seconds) for
    P28D (openlink/virtuoso-opensource#936). Turn such a value back into an ISO 8601 duration; None if it is not one."""
    try:
        if re.fullmatch(r"-?\d+", value):  # whole months
            months = int(value)
            sign, months = ("-" if months < 0 else ""), abs(months)
            years, months = divmod(months, 12)
            body = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
            return f"{sign}P{body}"
        seconds = float(value)  # day-time durations come as seconds
    except ValueError:
        return None
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time_part = (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "") + \
        (f"{secs:g}S" if secs else "")
    return f"{sign}P" + (f"{int(days)}D" if days or not time_part else "") + (f"T{time_part}" if time_part else "")


def _from_json(b):
    if b is None:
        return None
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    if b.get("datatype") and b["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        value = b["value"]
        if b["datatype"] == _XSD_DURATION and not value.lstrip("-").startswith("P"):
            value = _duration_from_number(value) or value
        return Literal(value, datatype=URIRef(b["datatype"]))
    return Literal(b["value"])


def push_graphs(endpoint: str, graphs: Mapping[str, list], store_url: str | None = None) -> None:
    """Load named graphs into a remote store with the SPARQL 1.1 Graph Store HTTP Protocol (PUT per graph).

    `store_url` is the Graph Store endpoint; for Oxigraph server it is `<base>/store`, which is derived
    from a query endpoint ending in `/query` or `/sparql` when not given.
    """
    import requests

    if store_url is None:
        store_url = re.sub(r"/(query|sparql)/?$", "/store", endpoint)
    for name, triples in graphs.items():
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        try:
            r = requests.put(store_url, params={"graph": name}, data=body,
                             headers={"Content-Type": "application/n-triples"}, timeout=60)
        except requests.RequestException as e:
            raise BackendUnavailable(f"could not load graph {name} into {store_url}: {e}") from None
        if r.status_code >= 300:
            raise StoreError(f"loading graph {name} into {store_url} failed: HTTP {r.status_code} {r.text[:300]}")


def open_store(backend: str = "oxigraph", *, store_dir: str | None = None, endpoint: str | None = None) -> Store:
    """The store a configuration asks for."""
    if backend == "oxigraph":
        return OxigraphStore(store_dir)
    if backend == "rdflib":
        return RdflibStore()
    if backend == "remote":
        if not endpoint:
            raise StoreError("the remote backend needs an endpoint URL (--endpoint or MIGRATIE_KG_ENDPOINT)")
        return RemoteStore(endpoint)
    raise StoreError(f"unknown backend {backend!r}; choose oxigraph, rdflib or remote")
