"""Helpers for the statistics tests: build a small store from CSV fixtures with the real converter and store."""
from __future__ import annotations

from pathlib import Path

from app import loader
from app.stats import convert
from app.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "stats"
BASE_FILES = [ROOT / "ontology" / "migratie-kg.ttl", ROOT / "data" / "ttl" / "bron.ttl",
              ROOT / "data" / "ttl" / "figuren.ttl", ROOT / "data" / "ttl" / "landen.ttl"]


def store_from(csv_files: list[Path], tmp_path: Path, extra_ttl: list[tuple[str, str]] | None = None) -> OxigraphStore:
    """An in-memory Oxigraph store with the ontology, sections, figures, countries and the converted CSVs."""
    graphs: dict[str, list] = {}
    for f in BASE_FILES:
        graphs[f"urn:test:{f.stem}"] = loader.parse_file(f)
    comp = tmp_path / "componenten.ttl"
    comp.write_text(convert.COMPONENTS_TTL, encoding="utf-8")
    graphs["urn:test:componenten"] = loader.parse_file(comp)
    for csv_file in csv_files:
        out = tmp_path / (csv_file.stem + ".ttl")
        out.write_text(convert.render(convert.parse_csv(csv_file)), encoding="utf-8")
        graphs[f"urn:test:{csv_file.stem}"] = loader.parse_file(out)
    for name, text in extra_ttl or []:
        p = tmp_path / f"{name}.ttl"
        p.write_text(text, encoding="utf-8")
        graphs[f"urn:test:{name}"] = loader.parse_file(p)
    store = OxigraphStore()
    store.replace_all(graphs)
    return store
