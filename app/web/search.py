"""Search: /search (HTML and JSON twin) and /search.json for the autocomplete.

One SPARQL query (app/queries/pages/names.rq) builds a name index per app -- labels, abbreviations and
identifiers (ECLI, case numbers, CELEX, Kamerstuk numbers, figure numbers) -- and matching happens in
Python: case- and accent-insensitive, exact abbreviation first, then exact names, prefixes, words and
substrings, then names one typo away (one insertion, deletion, substitution or swap). Results are
grouped by kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, g, jsonify, request

from .. import queries
from ..network import fold
from .pages import bp, choose, kind_name, kind_of, kg, local_href, render, tr

MAX_QUERY = 200
KIND_ORDER = ["organisation", "procedure", "law", "ruling", "dataset", "document", "concept", "step", "article",
              "figure", "section", "link", "other"]


@dataclass
class Entry:
    iri: str
    types: set = field(default_factory=set)
    label_nl: str | None = None
    label_en: str | None = None
    names: list = field(default_factory=list)  # (folded, original, how)

    @property
    def kind(self) -> str:
        return kind_of(self.types)


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_/:.,()]+", " ", fold(text)).strip()


class NameIndex:
    def __init__(self, store):
        entries: dict[str, Entry] = {}
        for r in store.select(queries.load("pages/names"), max_rows=1_000_000, timeout=60):
            iri = str(r["entity"])
            e = entries.setdefault(iri, Entry(iri))
            e.types.add(str(r["type"]))
            name, how = r["name"], str(r["how"])
            lang = getattr(name, "language", None)
            if how == "label":
                if lang == "en":
                    e.label_en = min(e.label_en or str(name), str(name))  # not the first row: row order is the store's
                elif lang in ("nl", None) and (e.label_nl is None
                                                or (len(str(name)), str(name)) > (len(e.label_nl), e.label_nl)):
                    e.label_nl = str(name)
            key = (_norm(str(name)), str(name), how)
            if key not in e.names:
                e.names.append(key)
        self.entries = list(entries.values())

    def _build_typo_tables(self):
        if getattr(self, "_names", None) is not None:
            return
        names: dict[str, list] = {}
        words: dict[str, list] = {}
        for e in self.entries:
            for folded, original, how in e.names:
                names.setdefault(folded, []).append((e, original))
                for w in set(folded.split()):
                    words.setdefault(w, []).append((e, original))
        self._names, self._words = names, words

    def find(self, text: str, limit: int = 40) -> list[tuple[int, Entry, str]]:
        q = _norm(text)
        if not q:
            return []
        found: dict[str, tuple[int, Entry, str]] = {}
        # first the cheap matches (exact, prefix, word, substring) ...
        for e in self.entries:
            best = None
            for folded, original, how in e.names:
                score = _score(q, folded, how)
                if score is not None and (best is None or (score, original) < best):  # ties: same on every store
                    best = (score, original)
            if best is not None:
                found[e.iri] = (best[0], e, best[1])
        # ... then, when they find little, names and words one typo away (over the distinct names and words)
        if len(found) < 5 and len(q) >= 3:
            self._build_typo_tables()

            def add(score, e, original):
                if e.iri not in found or found[e.iri][0] > score:
                    found[e.iri] = (score, e, original)

            for name, owners in self._names.items():
                if abs(len(name) - len(q)) <= 1 and within_one(q, name):
                    for e, original in owners:
                        add(5, e, original)
            if len(q) >= 4:
                for word, owners in self._words.items():
                    if abs(len(word) - len(q)) <= 1 and within_one(q, word):
                        score = 6
                    elif len(word) > len(q) and within_one(q, word[: len(q)]):
                        score = 7  # a prefix of a word, one typo away (autocomplete while typing)
                    else:
                        continue
                    for e, original in owners:
                        add(score, e, original)
        ranked = sorted(found.values(), key=lambda x: (x[0], KIND_ORDER.index(x[1].kind) if x[1].kind in KIND_ORDER else 99,
                                                        len(x[1].label_nl or x[1].iri), x[1].iri))
        return ranked[:limit]


def _score(q: str, name: str, how: str) -> int | None:
    """Lower is better; None: no cheap match (the typo-tolerant pass is in NameIndex.find)."""
    if name == q:
        return 0 if how in ("abbr", "id") else 1
    if name.startswith(q):
        return 2
    if any(w.startswith(q) for w in name.split()):
        return 3
    if q in name:
        return 4
    return None


def within_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one edit (insert, delete, substitute, or swap of neighbours)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def index() -> NameIndex:
    idx = current_app.extensions.get("migratie_kg_names")
    if idx is None:
        idx = current_app.extensions["migratie_kg_names"] = NameIndex(kg().store)
    return idx


def hit_view(score: int, e: Entry, matched: str) -> dict:
    label = choose(e.label_nl, e.label_en) or e.iri.rsplit("/", 1)[-1]
    return {"type": "iri", "iri": e.iri, "label": label, "href": local_href(e.iri), "kind": e.kind,
            "kind_label": kind_name(e.kind), "matched": matched if matched != label else None, "score": score}


def grouped(hits: list[dict]) -> list[dict]:
    groups: dict[str, list] = {}
    for h in hits:
        groups.setdefault(h["kind"], []).append(h)
    order = sorted(groups, key=lambda k: min(h["score"] for h in groups[k]) * 100 + (KIND_ORDER.index(k) if k in KIND_ORDER else 99))
    return [{"kind": k, "label": kind_name(k, plural=True), "hits": groups[k]} for k in order]


def suggestions(text: str, limit: int = 8) -> list[dict]:
    return [hit_view(*x) for x in index().find(text, limit)]


def _query_text():
    text = (request.args.get("q") or "").strip()
    if len(text) > MAX_QUERY:
        return None, render("error.html", {"title": tr("Ongeldige zoekvraag", "Invalid search"),
                                           "message": tr(f"De zoektekst is langer dan {MAX_QUERY} tekens.",
                                                         f"The search text is longer than {MAX_QUERY} characters.")}, 400)
    return text, None


@bp.route("/search")
def search():
    text, error = _query_text()
    if error:
        return error
    hits = [hit_view(*x) for x in index().find(text)] if text else []
    return render("search.html", {"title": tr(f"Zoeken: {text}", f"Search: {text}"), "q": text, "hits": hits,
                                  "groups": grouped(hits)})


@bp.route("/search.json")
def search_json():
    """The autocomplete: at most 12 hits, best first, with their kind."""
    g.json = True
    text, error = _query_text()
    if error:
        return error
    hits = [hit_view(*x) for x in index().find(text, 12)] if text else []
    return jsonify({"q": text, "hits": hits})


def find(text: str) -> list[dict]:
    """Kept for callers of the old search: the hits for a text."""
    return suggestions(text, 20)
