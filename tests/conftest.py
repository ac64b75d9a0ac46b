"""Shared fixtures: the loaded dataset, the three store backends, the Flask app and a live server.

The remote backend is a real Oxigraph server (`oxigraph serve` from PyPI) started here on a loopback
port and loaded with our data over the Graph Store Protocol; the live server is our app under
waitress, so SPARQLWrapper and the W3C runner talk to it over real HTTP.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from app import create_app, loader
from app.store import OxigraphStore, RdflibStore, RemoteStore, push_graphs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


@pytest.fixture(scope="session")
def dataset():
    ds = loader.read_dataset(ROOT)
    loader.gate(ds, ROOT)
    return ds


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise RuntimeError("the Oxigraph server is not installed: pip install oxigraph (part of '.[test]')")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server on a loopback port; yields its base URL."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def remote_store(oxigraph_server, dataset):
    push_graphs(oxigraph_server + "/query", dataset.graphs)
    return RemoteStore(oxigraph_server + "/query")


@pytest.fixture(scope="session")
def oxigraph_store(dataset):
    store = OxigraphStore()
    loader.fill(store, dataset)
    return store


@pytest.fixture(scope="session")
def rdflib_store(dataset):
    store = RdflibStore()
    loader.fill(store, dataset)
    return store


@pytest.fixture(scope="session", params=["oxigraph", "rdflib", "remote"])
def store(request):
    """The same behavioural tests run against all three backends."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="session")
def app(dataset):
    return create_app({"ROOT": str(ROOT)})


@pytest.fixture()
def client(app):
    return app.test_client()


class LiveServer:
    def __init__(self, app):
        from waitress.server import create_server

        self.port = free_port()
        self.server = create_server(app, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self.url + "/sparql")

    def stop(self):
        self.server.close()


W3C_GRAPHS = [(SHARED / "w3c" / "sparql11-protocol" / f"data{i}.nt", f"http://kasei.us/2009/09/sparql/data/data{i}.rdf")
              for i in (1, 2, 3)]


@pytest.fixture(scope="session")
def live_app():
    """The app with the W3C protocol test graphs loaded next to our data (the loader's general feature)."""
    extra = [(p, g) for p, g in W3C_GRAPHS if p.exists()]
    return create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": extra, "QUERY_TIMEOUT": 3.0, "MAX_ROWS": 500})


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app)
    yield server
    server.stop()
