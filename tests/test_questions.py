"""Questions a user would ask, as .rq files with the answer the report gives (tests/questions/README.md)."""
import re
from pathlib import Path

import pytest
from rdflib import URIRef

ROOT = Path(__file__).resolve().parent
QUESTIONS = sorted((ROOT / "questions").rglob("*.rq"))


def parse_expectations(text: str):
    expects, count, ask = [], None, None
    for line in text.splitlines():
        m = re.match(r"#\s*Expect:\s*(.+)$", line)
        if m:
            row = {}
            for part in m.group(1).split(" ; "):
                var, _, value = part.partition("=")
                row[var.strip().lstrip("?")] = value.strip()
            expects.append(row)
        m = re.match(r"#\s*Expect-count:\s*(\d+)", line)
        if m:
            count = int(m.group(1))
        m = re.match(r"#\s*Expect-ask:\s*(true|false)", line)
        if m:
            ask = m.group(1) == "true"
    return expects, count, ask


def matches(term, value: str) -> bool:
    if term is None:
        return False
    if value.startswith("http"):
        return isinstance(term, URIRef) and str(term) == value
    if str(term) == value:
        return True
    try:  # numbers compare by value: 38320 == 38320.0
        return float(str(term)) == float(value)
    except ValueError:
        return False


def test_there_are_questions():
    assert len(QUESTIONS) >= 1


@pytest.mark.parametrize("path", QUESTIONS, ids=[str(p.relative_to(ROOT / "questions")) for p in QUESTIONS])
def test_question(oxigraph_store, path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^#\s*Question:", text, re.M), "every question file says what it asks"
    expects, count, ask = parse_expectations(text)
    assert expects or count is not None or ask is not None, "a question needs an Expect line"
    result = oxigraph_store.query(text)
    if ask is not None:
        assert result.boolean is ask
        return
    rows = result.dicts()
    if count is not None:
        assert len(rows) == count, f"expected {count} rows, got {len(rows)}: {rows[:5]}"
    for expect in expects:
        assert any(all(matches(row.get(var), value) for var, value in expect.items()) for row in rows), \
            f"no row with {expect}; got {rows[:10]}"
