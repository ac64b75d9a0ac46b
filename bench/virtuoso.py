"""A private Virtuoso (Debian `virtuoso-opensource`) loaded with the knowledge graph, for deploying and measuring.

    .venv/bin/python bench/virtuoso.py serve [--synthetic FILE] [--buffers-gb 4] [--dir DIR]
    .venv/bin/migratie-kg serve --endpoint http://127.0.0.1:PORT/sparql      # the URL `serve` prints

`serve` starts `virtuoso-t` in a temp dir (or --dir) with a generated virtuoso.ini: the SQL and the HTTP port bound to
127.0.0.1 on free ports, no Unix socket, no plugins, DirsAllowed covering only the data files, buffers for ~10 M
triples. It writes the app's validated data (every named graph of `loader.read_dataset`, the derived graph included)
as one N-Triples file per graph, plus optionally a synthetic N-Triples file (bench/generate.py) for the graph
https://w3id.org/migratie-kg/graph/synthetisch, and loads them with Virtuoso's bulk loader (`ld_add`,
`rdf_loader_run()`, `checkpoint`) through `isql-vt`. The dba password is replaced by a random one at start (printed
only with --show-password). The public endpoint `/sparql` stays read-only: the anonymous SPARQL user has no
SPARQL_UPDATE and no SPARQL_SPONGE role; `serve` checks that an INSERT DATA through /sparql is refused. It prints
the endpoint URL and runs until Ctrl-C, then stops Virtuoso and removes the temp dir.

Used by bench/scale.py (`--backends virtuoso`) through the `Virtuoso` class.
"""
from __future__ import annotations

import argparse
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SYNTH_GRAPH = "https://w3id.org/migratie-kg/graph/synthetisch"
VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = {remap}
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = {dirs}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 2G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {db}/vsp
MaxClientConnections        = 20
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 20
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 0
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 1

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
DefaultGraph               =
DeferInferenceRulesInit    = 1
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VirtuosoError(RuntimeError):
    pass


class Virtuoso:
    """One private Virtuoso instance: `start()`, `load(...)`, `endpoint`, `stop()` (or use as a context manager)."""

    def __init__(self, workdir: str | Path | None = None, *, buffers_gb: float = 4.0, data_dirs: list[Path] = (),
                 max_rows: int = 1_000_000):
        self._own_dir = workdir is None
        self.dir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="virtuoso-"))
        self.db = self.dir / "db"
        self.data = self.dir / "data"  # the curated graphs as N-Triples, written here
        self.data_dirs = [self.data] + [Path(d).resolve() for d in data_dirs]
        self.buffers_gb = buffers_gb
        self.max_rows = max_rows
        self.sql_port = free_port()
        self.http_port = free_port()
        self.password = "dba"
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    # -- life cycle
    def write_ini(self) -> Path:
        self.db.mkdir(parents=True, exist_ok=True)
        (self.db / "vsp").mkdir(exist_ok=True)
        self.data.mkdir(parents=True, exist_ok=True)
        # Virtuoso's sizing rule: 8 KB pages, about 2/3 of the memory given for buffers, 3/4 of those may be dirty.
        buffers = int(self.buffers_gb * 2**30 * 0.66 / 8192)
        ini = INI.format(db=self.db, sql_port=self.sql_port, http_port=self.http_port, buffers=buffers,
                         dirty=buffers * 3 // 4, remap=max(2000, buffers // 4), max_rows=self.max_rows,
                         dirs=", ".join(["."] + [str(d) for d in self.data_dirs]))
        path = self.dir / "virtuoso.ini"
        path.write_text(ini)
        return path

    def start(self, timeout: float = 120) -> "Virtuoso":
        import requests

        ini = self.write_ini()
        self.log = open(self.dir / "virtuoso.stdout", "wb")
        self.proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=self.db,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise VirtuosoError(f"virtuoso-t exited with {self.proc.returncode}; see {self.db}/virtuoso.log:\n"
                                    + self.tail_log())
            try:
                r = requests.get(self.endpoint, params={"query": "ASK {}"}, timeout=2)
                if r.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise VirtuosoError(f"{self.endpoint} did not answer within {timeout:.0f} s")
            time.sleep(0.3)
        self._harden()
        return self

    def _harden(self) -> None:
        """Random dba password; the anonymous /sparql user may only read (no update, no sponging of URLs)."""
        new = secrets.token_hex(16)
        self.isql(f"USER_SET_PASSWORD('dba', '{new}');")
        self.password = new
        for role in ("SPARQL_UPDATE", "SPARQL_SPONGE"):
            self.isql(f'REVOKE "{role}" FROM "SPARQL";', allow_errors=True)  # absent grant: an error, fine

    def tail_log(self, n: int = 20) -> str:
        log = self.db / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:]) if log.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:  # a clean shutdown writes a checkpoint; SIGTERM does the same in +foreground mode
                self.isql("shutdown;", timeout=60, allow_errors=True)
                self.proc.wait(timeout=60)
            except (subprocess.TimeoutExpired, VirtuosoError):
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.proc = None
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- SQL
    def isql(self, sql: str, timeout: float = 7200, allow_errors: bool = False) -> str:
        """Run SQL through isql-vt as dba; raise on any `*** Error` unless allow_errors."""
        p = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.password, "VERBOSE=OFF",
                            "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"], input=sql + "\n", text=True,
                           capture_output=True, timeout=timeout)
        out = p.stdout + p.stderr
        if not allow_errors and ("*** Error" in out or p.returncode != 0):
            raise VirtuosoError(f"isql failed on {sql[:200]!r}: {out.strip()[:1000]}")
        return out

    def rss_mb(self, key: str = "VmHWM") -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    # -- loading
    def write_curated(self, root: Path = ROOT) -> list[tuple[Path, str]]:
        """Every named graph the app serves (curated files + derived graph) as one N-Triples file per graph."""
        import pyoxigraph as ox

        from app import loader

        ds = loader.read_dataset(root)
        loader.gate(ds, root)
        files = []
        for i, (name, triples) in enumerate(sorted(ds.graphs.items())):
            path = self.data / f"g{i:03d}.nt"
            path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
            files.append((path, name))
        return files

    def bulk_load(self, files: list[tuple[Path, str]]) -> None:
        """Virtuoso's bulk loader: register each file for its graph, run the loader, checkpoint, check errors."""
        sql = ["delete from DB.DBA.LOAD_LIST;"]
        for path, graph in files:
            sql.append(f"ld_add('{_sql_str(str(Path(path).resolve()))}', '{_sql_str(graph)}');")
        sql += ["rdf_loader_run();", "checkpoint;"]
        self.isql("\n".join(sql))
        out = self.isql("select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_state <> 2 or ll_error is not null;")
        if ".nt" in out:  # a row names a file that did not load
            raise VirtuosoError(f"bulk load failed: {out.strip()[:2000]}")

    def load(self, synthetic: str | Path | None = None, root: Path = ROOT) -> dict:
        """Curated graphs plus the optional synthetic file; returns timings."""
        t = time.perf_counter()
        files = self.write_curated(root)
        prepare_s = time.perf_counter() - t
        if synthetic:
            files.append((Path(synthetic).resolve(), SYNTH_GRAPH))
        t = time.perf_counter()
        self.bulk_load(files)
        bulk_s = time.perf_counter() - t
        self.only_these_graphs([g for _, g in files])
        return {"prepare_s": prepare_s, "bulk_load_s": bulk_s}

    def only_these_graphs(self, graphs: list[str]) -> None:
        """Make the anonymous /sparql user see only our graphs: Virtuoso's default graph is the union of *all*
        graphs, its own system graphs (virtrdf#: ~2,500 triples of quad-map metadata) included, which would
        show up in counts, VoID and dumps. Graph-level security: nothing readable by default, ours readable."""
        sql = ["DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0);"]  # 'nobody': the anonymous web user of /sparql
        sql += [f"DB.DBA.RDF_GRAPH_USER_PERMS_SET ('{_sql_str(g)}', 'nobody', 1);" for g in graphs]
        self.isql("\n".join(sql))

    def check_read_only(self) -> str:
        """INSERT DATA through the public /sparql must fail; returns Virtuoso's refusal."""
        import requests

        probe = "<urn:migratie-kg:probe>"
        r = requests.post(self.endpoint, data={"query": f"INSERT DATA {{ GRAPH {probe} {{ {probe} {probe} 1 }} }}"},
                          timeout=30)
        ask = requests.get(self.endpoint, params={"query": f"ASK {{ GRAPH {probe} {{ ?s ?p ?o }} }}"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
        if r.status_code < 400 or ask.json().get("boolean"):
            raise VirtuosoError(f"/sparql accepted an update (HTTP {r.status_code}): {r.text[:300]}")
        return f"HTTP {r.status_code}: {' '.join(r.text.split())[:200]}"


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="A private, read-only Virtuoso with the knowledge graph.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="start, load, print the endpoint, run until Ctrl-C")
    s.add_argument("--synthetic", help="an N-Triples file from bench/generate.py, loaded into " + SYNTH_GRAPH)
    s.add_argument("--buffers-gb", type=float, default=4.0, help="memory for Virtuoso's page buffers (default 4)")
    s.add_argument("--dir", help="keep the database here (default: a temp dir, removed at exit)")
    s.add_argument("--show-password", action="store_true", help="print the generated dba password")
    args = ap.parse_args(argv)

    if not shutil.which(VIRTUOSO) or not shutil.which(ISQL):
        print("virtuoso-t / isql-vt not found: apt-get install virtuoso-opensource", file=sys.stderr)
        return 2
    data_dirs = [Path(args.synthetic).resolve().parent] if args.synthetic else []
    v = Virtuoso(args.dir, buffers_gb=args.buffers_gb, data_dirs=data_dirs)
    stop = {"now": False}

    def on_signal(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        v.start()
        print(f"virtuoso started in {v.dir} (SQL 127.0.0.1:{v.sql_port})", file=sys.stderr, flush=True)
        times = v.load(args.synthetic)
        print(f"loaded in {times['bulk_load_s']:.1f} s (bulk loader), curated files written in "
              f"{times['prepare_s']:.1f} s", file=sys.stderr, flush=True)
        print(f"read-only check: INSERT DATA refused ({v.check_read_only()})", file=sys.stderr, flush=True)
        if args.show_password:
            print(f"dba password: {v.password}", file=sys.stderr, flush=True)
        print(v.endpoint, flush=True)
        while not stop["now"] and v.proc.poll() is None:
            time.sleep(0.5)
        if v.proc.poll() is not None:
            print(f"virtuoso-t exited with {v.proc.returncode}:\n{v.tail_log()}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        pass
    finally:
        v.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
