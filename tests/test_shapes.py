"""Every shape rejects its broken fixture with the expected message and focus node; the real data conforms.

A fixture in tests/fixtures/broken/ starts with
    # expect-focus: <IRI of the node that violates>
    # expect-message: <substring of the sh:message>
and is validated together with the ontology and the report structure it may refer to.
"""
import re
import shutil
from pathlib import Path

import pytest

from app import loader

ROOT = Path(__file__).resolve().parent.parent
BROKEN = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.ttl"))
CONTEXT = ["ontology/migratie-kg.ttl", "data/ttl/bron.ttl", "data/ttl/figuren.ttl", "data/ttl/organisaties.ttl"]


def expectations(path: Path) -> tuple[str, str]:
    header = path.read_text(encoding="utf-8")
    focus = re.search(r"^# expect-focus: (\S+)", header, re.M)
    message = re.search(r"^# expect-message: (.+)$", header, re.M)
    assert focus and message, f"{path.name} needs '# expect-focus:' and '# expect-message:' header lines"
    return focus.group(1), message.group(1).strip()


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory):
    """A project tree with the context files and every shape; each test adds its one broken file."""
    root = tmp_path_factory.mktemp("project")
    for rel in CONTEXT:
        src = ROOT / rel
        if src.exists():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / rel)
    shutil.copytree(ROOT / "shapes", root / "shapes")
    return root


def test_there_is_a_fixture_per_shape_file():
    areas = {p.stem for p in (ROOT / "shapes").glob("*.ttl")}
    assert BROKEN, "no broken fixtures found"
    assert len(BROKEN) >= len(areas)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_shape_rejects_broken_fixture(fixture_root, path):
    focus, message = expectations(path)
    target = fixture_root / "data" / "ttl" / "zz-broken.ttl"
    shutil.copy(path, target)
    try:
        ds = loader.read_dataset(fixture_root)
        violations = [v for v in loader.validate(ds, fixture_root, use_cache=False) if v.severity == "Violation"]
    finally:
        target.unlink()
    hits = [v for v in violations if v.focus == focus and message in v.message]
    assert hits, f"expected a violation on {focus} with {message!r}; got:\n" + loader.format_report(violations)
    assert "data/ttl/zz-broken.ttl" in hits[0].files
