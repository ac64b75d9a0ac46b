"""Graph-wide integrity: no curated IRI points at a thing the graph does not describe."""
from app import queries


def test_no_dangling_references(oxigraph_store):
    rows = oxigraph_store.select(queries.load("integrity/dangling-references"))
    assert rows == [], "IRIs used but never described:\n" + "\n".join(f"{r['target']} (e.g. from {r['example']})" for r in rows)
