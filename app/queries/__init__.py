"""The SPARQL the app runs, kept as `.rq` files beside this module and loaded by name.

Each file starts with a comment saying what it answers and which variables a caller binds.
User input reaches a query only through `bindings` (see `app.store`), never pasted into the text.
"""
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of `<name>.rq`, e.g. `load("entity/outgoing")`."""
    path = (QUERY_DIR / f"{name}.rq").resolve()
    if QUERY_DIR.resolve() not in path.parents:
        raise ValueError(f"query name outside the query folder: {name!r}")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    """Every query name, for tests and the documentation."""
    return sorted(str(p.relative_to(QUERY_DIR).with_suffix("")) for p in QUERY_DIR.rglob("*.rq"))
