"""Statistics of De Staat van Migratie 2025: curated CSVs (data/stats/) to W3C RDF Data Cube (data/ttl/statistiek/).

- ``convert``: CSV -> Turtle (``python -m app.stats.convert [--check]``), with ``values`` parsing Dutch numbers;
- ``check``: ``check_stats(store)`` recomputes published changes and totals; ``datacube_integrity(store)`` runs the
  W3C Data Cube integrity constraints IC-1 ... IC-21 (``queries/ic-*.rq``);
- ``coverage``: ``coverage(store)`` says for each of the 132 figures whether its numbers are in the graph;
- ``build_figures`` / ``build_landen``: regenerate data/ttl/figuren.ttl and data/ttl/landen.ttl.
"""
