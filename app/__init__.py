"""migratie-kg: a knowledge graph of the Dutch migration domain (De Staat van Migratie 2025).

`create_app(config)` is the Flask application factory; `app.cli` is the `migratie-kg` command.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from .isolation import CAN_FORK, DEFAULT_MEMORY_MB, DEFAULT_WORKERS
from .store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, Store, open_store

__version__ = "0.1.0"

DEFAULTS = {
    "BACKEND": "oxigraph",          # oxigraph | rdflib | remote
    "STORE_DIR": None,              # persistent Oxigraph store directory (None: in memory)
    "ENDPOINT": None,               # remote SPARQL endpoint (backend "remote")
    "PUSH": False,                  # remote backend: load the validated data into the endpoint at start
    "ROOT": None,                   # folder with ontology/, shapes/, data/ (None: this checkout)
    "EXTRA_GRAPHS": [],             # [(file, graph IRI)] loaded next to the curated data
    "QUERY_TIMEOUT": DEFAULT_TIMEOUT,
    "MAX_ROWS": DEFAULT_MAX_ROWS,
    "QUERY_MEMORY_MB": DEFAULT_MEMORY_MB,  # memory one /sparql query may use beyond the loaded store
    "QUERY_WORKERS": DEFAULT_WORKERS,     # processes answering /sparql queries on an embedded store
    "MAX_QUERY_LENGTH": 100_000,
    "MAX_CONTENT_LENGTH": 1_000_000,  # bytes of request body (Flask answers 413 above it)
    "USE_VALIDATION_CACHE": True,
}


@dataclass
class KnowledgeGraph:
    """What the web layer needs: the store, and the names of the graphs it holds."""

    store: Store
    graph_names: list[str] = field(default_factory=list)
    triples: int = 0


def create_app(config: dict | None = None, store: Store | None = None) -> Flask:
    """Build the app: load, validate and serve. Raises loader.GateFailed on non-conforming data."""
    from . import loader, security
    from .web import pages, sparql

    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(DEFAULTS)
    app.config.update({k[len("MIGRATIE_KG_"):]: v for k, v in os.environ.items()
                       if k.startswith("MIGRATIE_KG_") and k[len("MIGRATIE_KG_"):] in ("ENDPOINT", "BACKEND", "STORE_DIR")})
    app.config.update(config or {})
    app.config["DEBUG"] = False

    root = Path(app.config["ROOT"]) if app.config["ROOT"] else loader.project_root()
    if store is None:
        store = open_store(app.config["BACKEND"], store_dir=app.config["STORE_DIR"], endpoint=app.config["ENDPOINT"])
        store.timeout = app.config["QUERY_TIMEOUT"]
        loaded = loader.build(store, root, use_cache=app.config["USE_VALIDATION_CACHE"],
                              extra=app.config["EXTRA_GRAPHS"], fill_remote=app.config["PUSH"])
        kg = KnowledgeGraph(store, loaded.graph_names, loaded.triples)
    else:
        kg = KnowledgeGraph(store, store.graph_names())
    app.extensions["migratie_kg"] = kg
    if store.in_process and CAN_FORK:  # fork the /sparql workers now, before the server's threads run queries
        store.workers(app.config["QUERY_MEMORY_MB"], app.config["QUERY_WORKERS"]).start()

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    pages.register_error_handlers(app)
    security.init_app(app)
    return app
