"""Parse a value exactly as De Staat van Migratie 2025 prints it ("38.320", "12,5", "-7%", "<5", "1,2 miljoen").

``parse_value(text)`` returns a :class:`ParsedValue` with the number (``Decimal`` or ``None``), the value status
(a local name in the ``mkg:`` namespace) and flags; it raises :class:`ValueParseError` for text it cannot read, so a
curator gets a clear message instead of a silently wrong number.

Dutch formatting: ``.`` groups thousands (``38.320`` = 38320) and ``,`` is the decimal sign (``12,5`` = 12.5).
A ``.`` followed by one or two digits before ``miljoen``/``miljard`` is read as a decimal point (``4.2 miljoen``),
because the report prints some large numbers that way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

CENSORED = {
    "<5": "CensoredBelow5",
    "< 5": "CensoredBelow5",
    "<10": "CensoredBelow10",
    "< 10": "CensoredBelow10",
    "n.v.t.": "NotApplicable",
    "nvt": "NotApplicable",
    "n.v.t": "NotApplicable",
    "-": "NotApplicable",
    "–": "NotApplicable",
    "—": "NotApplicable",
}

WORDS = {
    "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30,
    "veertig": 40, "vijftig": 50, "honderd": 100, "duizend": 1000,
}
ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
    "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12,
}
MULTIPLIERS = {"duizend": Decimal(1000), "miljoen": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
               "miljard": Decimal(10) ** 9, "mld": Decimal(10) ** 9}
# Qualifiers before a number and the status they give it.
QUALIFIERS = [
    ("meer dan", "LowerBound"), ("ruim", "Approximate"), ("bijna", "Approximate"), ("circa", "Approximate"),
    ("ongeveer", "Approximate"), ("ca.", "Approximate"), ("rond", "Approximate"), ("minder dan", "UpperBound"),
    ("ten minste", "LowerBound"), ("tenminste", "LowerBound"), ("maximaal", "UpperBound"),
]
# Unit words after the number; they are described by the measure/unit header and dropped from the number.
UNIT_WORDS = r"(?:euro|eur|personen|mensen|dagen|dag|weken|week|maanden|jaar|per jaar|per maand|keer|procentpunt|procent)"

NUMBER = re.compile(
    r"^(?P<sign>[+\-−])?\s*(?P<euro>€\s*)?(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?=\s*(?:miljoen|miljard|mln|mld)))"
    r"\s*(?P<pct>%)?\s*(?P<mult>duizend|miljoen|miljard|mln|mld)?\s*(?P<pct2>%)?(?P<unit>(?:\s*" + UNIT_WORDS + r")*)\s*$",
    re.IGNORECASE,
)
ONE_IN = re.compile(r"^1 op (?:de )?(?P<n>\d{1,3}(?:\.\d{3})*|\d+)$")


class ValueParseError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedValue:
    number: Decimal | None
    status: str  # local name in mkg:, e.g. ExactValue, CensoredBelow5
    percent: bool = False
    rank_word: bool = False


def _to_decimal(num: str, mult: str | None) -> Decimal:
    if "," in num or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
        d = Decimal(num.replace(".", "").replace(",", "."))
    else:
        d = Decimal(num)  # plain digits or the "4.2 miljoen" decimal-point form
    if mult:
        d = d * MULTIPLIERS[mult.lower()]
    return d


def parse_value(text: str) -> ParsedValue:
    raw = text
    t = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    if not t:
        raise ValueParseError("empty value: write the value as printed, or '-' / 'n.v.t.' when the report prints that")
    if t.lower() in CENSORED:
        return ParsedValue(None, CENSORED[t.lower()])
    status = "ExactValue"
    low = t.lower()
    for word, st in QUALIFIERS:
        if low.startswith(word + " "):
            status = st
            t = t[len(word) + 1:].strip()
            low = t.lower()
            break
    m = ONE_IN.match(t)
    if m:
        return ParsedValue(None, "TextualValue")
    m = re.fullmatch(r"(\w+)\s+plaats", low)
    if m and m.group(1) in ORDINALS:
        return ParsedValue(Decimal(ORDINALS[m.group(1)]), status, rank_word=True)
    if low in ORDINALS:
        return ParsedValue(Decimal(ORDINALS[low]), status, rank_word=True)
    m = re.fullmatch(r"(\w+)(?:\s+" + UNIT_WORDS + r")*", low)
    if m and m.group(1) in WORDS:
        return ParsedValue(Decimal(WORDS[m.group(1)]), status)
    if not re.search(r"\d", t) and re.match(r"[^\W\d_]", t):
        # Words without any digit ("De helft", "een derde"): kept as published text, no number.
        return ParsedValue(None, "TextualValue")
    m = NUMBER.match(t)
    if not m:
        raise ValueParseError(
            f"cannot read {raw!r} as a published number: expected e.g. '38.320', '12,5', '-7%', '1,2 miljoen', "
            "'<5', '<10', 'n.v.t.' or '-'"
        )
    d = _to_decimal(m.group("num"), m.group("mult"))
    if m.group("sign") in ("-", "−"):
        d = -d
    pct = bool(m.group("pct") or m.group("pct2")) or "procent" in (m.group("unit") or "").lower()
    return ParsedValue(d, status, percent=pct)
