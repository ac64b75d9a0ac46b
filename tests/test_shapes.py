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
def results(tmp_path_factory):
    """Validate every broken fixture in one run: each is its own file (so its violations name it) beside
    the context files, and each uses focus IRIs of its own, so one run answers every test below."""
    root = tmp_path_factory.mktemp("project")
    for rel in CONTEXT:
        src = ROOT / rel
        if src.exists():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / rel)
    shutil.copytree(ROOT / "shapes", root / "shapes")
    (root / "data" / "ttl" / "broken").mkdir(parents=True)
    for path in BROKEN:
        shutil.copy(path, root / "data" / "ttl" / "broken" / path.name)
    ds = loader.read_dataset(root)
    return [v for v in loader.validate(ds, root, use_cache=False) if v.severity == "Violation"]


def test_the_real_data_conforms(dataset):
    """The session fixture `dataset` runs the gate over all curated data and fails on any violation."""
    assert dataset.triple_count() > 10_000


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_shape_rejects_broken_fixture(results, path):
    focus, message = expectations(path)
    hits = [v for v in results if v.focus == focus and message in v.message]
    assert hits, f"expected a violation on {focus} with {message!r}; got for that node:\n" + loader.format_report(
        [v for v in results if v.focus == focus])
    assert f"data/ttl/broken/{path.name}" in hits[0].files
