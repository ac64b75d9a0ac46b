"""Query workers: the child processes that answer the SPARQL queries users type.

A query engine that evaluates a join or an ORDER BY without returning to Python cannot be interrupted from
a thread, and a query that needs gigabytes would take the whole server down with it. So queries typed by
users run in a few long-lived child processes forked from the server once the store is loaded: they share
the loaded store copy-on-write, each has a memory limit on top of what it inherited, and a worker that
passes the time limit is killed and replaced. Forking per query would be simpler, but a fork costs about
0.1 s per GB the server holds (measured here), far more than a typical query.

A persistent store (RocksDB) is never forked: RocksDB runs threads of its own, and a child forked while
one of them holds a lock waits for it forever (seen here after a restart, when RocksDB replays its log).
Its workers are started as fresh processes (`python -m app.isolation`) that open the store read-only.

Linux only (fork, RLIMIT_AS); elsewhere, and for remote stores, queries run in the server process.
"""
from __future__ import annotations

import ctypes
import faulthandler
import os
import pickle
import queue
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Callable

CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")
DEFAULT_MEMORY_MB = 2048  # per query, on top of the loaded store
DEFAULT_WORKERS = 4
BUSY_WAIT = 5.0  # seconds a query waits for a free worker before "try again"
_HEADER = struct.Struct("!Q")


class WorkerLost(Exception):
    """The worker died before it answered, not for lack of memory (which is `OutOfMemory`)."""


class OutOfMemory(Exception):
    """The query needed more memory than the worker may use."""


# How a worker dies when an allocation fails under RLIMIT_AS: Rust aborts, C code may fault, and the
# kernel's OOM killer sends SIGKILL (we send SIGKILL only at the time limit, which is reported apart).
_MEMORY_SIGNALS = (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL)


@dataclass
class _Worker:
    pid: int
    requests: int  # the write end of the pipe the worker reads queries from
    responses: int  # the read end of the pipe it writes answers to
    process: subprocess.Popen | None = None  # a started (not forked) worker; it owns the two pipes


def _virtual_memory_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _write_message(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, missing = [], n
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int, deadline: float | None = None) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def _kill(worker: _Worker) -> int | None:
    """Stop a worker and reap it; the signal that ended it, if one did."""
    if worker.process is not None:
        worker.process.kill()
        code = worker.process.wait()
        for pipe in (worker.process.stdin, worker.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        return -code if code < 0 else None
    for fd in (worker.requests, worker.responses):
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.kill(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        _, status = os.waitpid(worker.pid, 0)
    except ChildProcessError:
        return None
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else None


class QueryWorkers:
    """A pool of `size` workers, each answering one query at a time with `answer(*args)`.

    `answer` runs in the child; what it returns (and the exceptions of `recoverable` it raises) must be
    picklable. Any other exception in the child reaches the caller as `failure(message)`.
    """

    def __init__(self, answer: Callable[..., Any] | None = None, *, command: list[str] | None = None,
                 size: int = DEFAULT_WORKERS, memory_mb: int = DEFAULT_MEMORY_MB, recoverable: tuple = (),
                 failure=RuntimeError):
        """Workers are forked and call `answer`, or, given `command`, started as that program, which must
        call `serve` on its standard input and output (see `main`)."""
        self.answer, self.command, self.size, self.memory_mb = answer, command, size, memory_mb
        self.recoverable, self.failure = recoverable, failure
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._spawning = 0  # forks under way outside the lock (so that two callers never exceed `size`)
        # workers also leave by themselves when this process exits (their request pipe reaches EOF)
        self._finalizer = weakref.finalize(self, QueryWorkers._kill_all, self._all)

    # -- parent side

    def start(self) -> None:
        """Fork every worker now (before the server's threads run queries of their own)."""
        while True:
            with self._lock:
                if self._closed or len(self._all) >= self.size:
                    return
            self._idle.put(self._spawn())

    def run(self, args: tuple, timeout: float | None) -> Any:
        """Answer in a worker. Raises TimeoutError (the worker was killed), OutOfMemory, WorkerLost, BusyError,
        or what `answer` raised."""
        deadline = time.monotonic() + timeout if timeout else None
        worker = self._take(timeout)
        keep = False
        try:
            try:
                _write_message(worker.requests, args)
            except OSError:  # it died while idle (killed from outside): one fresh worker, once
                self._discard(worker)
                worker = self._spawn()
                _write_message(worker.requests, args)
            try:
                kind, value, retire = _read_message(worker.responses, deadline)
            except EOFError:
                ended_by = self._discard(worker)
                raise (OutOfMemory() if ended_by in _MEMORY_SIGNALS else WorkerLost(ended_by)) from None
            keep = not retire
        finally:
            if keep:
                self._idle.put(worker)
            elif worker.pid in self._all:
                self._discard(worker)
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._finalizer()

    def _take(self, timeout: float | None) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = not self._closed and len(self._all) + self._spawning < self.size
            self._spawning += grow
        if grow:
            try:
                return self._spawn()
            finally:
                with self._lock:
                    self._spawning -= 1
        try:
            return self._idle.get(timeout=min(timeout or BUSY_WAIT, BUSY_WAIT))
        except queue.Empty:
            raise BusyError(self.size) from None

    def _discard(self, worker: _Worker) -> int | None:
        with self._lock:
            self._all.pop(worker.pid, None)
        return _kill(worker)

    @staticmethod
    def _kill_all(workers: dict[int, _Worker]) -> None:
        for worker in list(workers.values()):
            _kill(worker)
        workers.clear()

    def _spawn(self) -> _Worker:
        if self.command is not None:
            return self._start()
        request_read, request_write = os.pipe()
        response_read, response_write = os.pipe()
        with self._lock:
            inherited = [fd for w in self._all.values() for fd in (w.requests, w.responses)]
            pid = os.fork()
            if pid == 0:  # the worker; it never returns from here
                try:
                    die_with_parent()
                    for fd in inherited + [request_write, response_read]:
                        os.close(fd)
                    # the engine's own "memory allocation failed" report (and a fault handler's dump, where
                    # one is enabled) would only repeat the message the server gives
                    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
                    faulthandler.disable()
                    limit_memory(self.memory_mb)
                    serve(self.answer, request_read, response_write, self.recoverable, self.failure)
                finally:
                    os._exit(1)
            worker = _Worker(pid, request_write, response_read)
            self._all[pid] = worker
        os.close(request_read)
        os.close(response_write)
        return worker

    def _start(self) -> _Worker:
        process = subprocess.Popen(self.command + ["--memory-mb", str(self.memory_mb), "--parent", str(os.getpid())],
                                   stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)
        worker = _Worker(process.pid, process.stdin.fileno(), process.stdout.fileno(), process)
        with self._lock:
            self._all[process.pid] = worker
        return worker


# -- the worker's side


def die_with_parent() -> None:
    """Have the kernel kill this worker when the server dies, even by SIGKILL (PR_SET_PDEATHSIG). Without it a
    worker busy in one long engine call would outlive a killed server until that call ends."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def limit_memory(memory_mb: int) -> None:
    """Allow this process `memory_mb` MB of address space beyond what it holds now."""
    limit = _virtual_memory_bytes() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(answer: Callable[..., Any], requests: int, responses: int, recoverable: tuple, failure) -> None:
    """Answer queries from the `requests` pipe on the `responses` pipe until the server closes it."""
    while True:
        try:
            args = _read_message(requests)
        except EOFError:  # the server closed the pool or exited
            os._exit(0)
        retire = False
        try:
            reply = ("value", answer(*args))
        except recoverable as e:
            reply = ("error", e.with_traceback(None))
        except MemoryError:  # Python ran out within the limit; the heap may be fragmented: leave after answering
            reply, retire = ("error", OutOfMemory()), True
        except Exception as e:  # a bug, not the user's doing: a message rather than a hang
            reply = ("error", failure(f"the query failed: {type(e).__name__}: {e}"))
        _write_message(responses, reply + (retire,))
        if retire:
            os._exit(0)


def main(argv: list[str] | None = None) -> None:
    """A started worker for a persistent store: `python -m app.isolation --store-dir DIR --memory-mb N`."""
    import argparse

    from .store import OxigraphStore, StoreError

    parser = argparse.ArgumentParser(prog="python -m app.isolation")
    parser.add_argument("--store-dir", required=True)
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB)
    parser.add_argument("--parent", type=int, help="the server's process id: leave when it is gone")
    args = parser.parse_args(argv)
    die_with_parent()
    if args.parent and os.getppid() != args.parent:  # it died before the line above took effect
        os._exit(0)
    requests, responses = os.dup(0), os.dup(1)
    os.dup2(os.open(os.devnull, os.O_RDWR), 0)  # nothing else may read the requests or write into the answers
    os.dup2(2, 1)
    store = OxigraphStore(args.store_dir, read_only=True)
    limit_memory(args.memory_mb)
    serve(store._answer_in_worker, requests, responses, (StoreError,), StoreError)


class BusyError(Exception):
    """Every worker is answering another query."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


if __name__ == "__main__":
    main()
