"""Convert the curated statistics CSVs (data/stats/*.csv) to RDF Data Cube Turtle (data/ttl/statistiek/*.ttl).

Usage::

    python -m app.stats.convert            # (re)generate every data/ttl/statistiek/<name>.ttl
    python -m app.stats.convert --check    # exit 1 if a generated file is missing, stale or orphaned
    python -m app.stats.convert FILE.csv   # convert only the given files

The CSV format is described in data/stats/README.md. The output is deterministic: IRIs come from the file name
and the row ids, and the Turtle is written sorted, so regenerating an unchanged CSV gives the same bytes.
Malformed input raises :class:`CsvError` naming file, line and column.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .values import ParsedValue, ValueParseError, parse_value

ROOT = Path(__file__).resolve().parents[2]
STATS_DIR = ROOT / "data" / "stats"
OUT_DIR = ROOT / "data" / "ttl" / "statistiek"

ID = "https://w3id.org/migratie-kg/id/"
REPORT = ID + "bron/staat-van-migratie-2025"
MKG = Namespace("https://w3id.org/migratie-kg/def#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATT = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
LAND_SCHEME = URIRef(ID + "land")

MEASURES = {m: MKG[m] for m in ("count", "percentage", "durationDays", "durationWeeks", "durationMonths", "amountEuro", "ratio", "rank")}
DIMENSIONS = ["category", "nationality", "memberState", "residencePurpose", "route"]
DIM_PROPS = {d: MKG[d] for d in DIMENSIONS}
COLUMNS = ["id", "period"] + DIMENSIONS + ["measure", "value", "change-of", "sum-of", "rank"]
HEADER_KEYS = {"figure", "section", "title", "source", "reference-date", "measure", "unit", "note", "chart-only"}
TOTAL_CODE = "x-totaal"
GROUP_LABELS = {"x-totaal": "totaal (niet uitgesplitst)", "x-eu": "EU", "x-eu27": "EU-27", "x-eu-27": "EU-27",
                "x-eer": "EER", "x-efta": "EFTA", "x-eu-efta": "EU/EFTA", "x-eu-11": "EU-11", "x-eu11": "EU-11",
                "x-overig": "overig", "x-overige": "overige", "x-onbekend": "onbekend", "x-stateloos": "staatloos",
                "x-staatloos": "staatloos"}


class CsvError(ValueError):
    """A malformed statistics CSV; str() is 'file:line:column: message'."""

    def __init__(self, path: Path | str, line: int, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = f"{self.path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass
class Row:
    line: int
    id: str
    period: str
    dims: dict[str, str]
    measure: str
    value: str
    parsed: ParsedValue
    change_of: list[str]
    sum_of: list[str]
    rank: str


@dataclass
class Spec:
    path: Path
    slug: str  # figuur-53 / sectie-4.3.1
    figure: int | None
    section: str
    title: str
    sources: list[str] = field(default_factory=list)
    reference_date: str | None = None
    measure: str = "count"
    unit: str | None = None
    notes: list[str] = field(default_factory=list)
    chart_only: bool = False
    rows: list[Row] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        return URIRef(ID + "dataset/" + self.slug)

    @property
    def derived_from(self) -> URIRef:
        if self.figure is not None:
            return URIRef(f"{REPORT}/figuur/{self.figure}")
        return URIRef(f"{REPORT}/sectie/{self.section}")


def slugify(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    t = t.replace("%", " procent ").replace("+", " plus ").replace("<", " minder dan ").replace(">", " meer dan ")
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t or "leeg"


# --------------------------------------------------------------------------- parsing


def parse_csv(path: Path | str) -> Spec:
    path = Path(path)
    m = re.fullmatch(r"figuur-(\d{3})\.csv|sectie-([a-z0-9.\-]+)\.csv", path.name)
    if not m:
        raise CsvError(path, 0, None, "file name must be figuur-NNN.csv (3 digits) or sectie-<section>.csv")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise CsvError(path, 1, None, f"not UTF-8: {e}") from None
    lines = text.splitlines()
    header: dict[str, list[tuple[int, str]]] = {}
    body: list[tuple[int, str]] = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if body:
                raise CsvError(path, no, 1, "header line after the column line: move '# ...' lines to the top")
            hm = re.match(r"#\s*([a-z\-]+)\s*:\s*(.*)$", line)
            if not hm:
                raise CsvError(path, no, 1, "header line must be '# key: value'")
            key, val = hm.group(1), hm.group(2).strip()
            if key.startswith("expect") or key in ("comment",):
                continue
            if key not in HEADER_KEYS:
                raise CsvError(path, no, 3, f"unknown header key {key!r}; known: {', '.join(sorted(HEADER_KEYS))}")
            header.setdefault(key, []).append((no, val))
        else:
            body.append((no, line))

    def one(key: str) -> tuple[int, str] | None:
        vals = header.get(key)
        if not vals:
            return None
        if len(vals) > 1 and key != "note":
            raise CsvError(path, vals[1][0], 1, f"header '{key}' given more than once")
        return vals[0]

    if m.group(1):
        fig_no = int(m.group(1))
        slug = f"figuur-{fig_no}"
        fh = one("figure")
        if fh is None:
            raise CsvError(path, 1, None, "figure file needs '# figure: N'")
        if fh[1] != str(fig_no):
            raise CsvError(path, fh[0], 3, f"'# figure: {fh[1]}' does not match the file name (figure {fig_no})")
    else:
        fig_no = None
        slug = f"sectie-{m.group(2)}"
    sh = one("section")
    if sh is None or not sh[1]:
        raise CsvError(path, 1, None, "missing '# section: <number>' (as in data/ttl/bron.ttl, e.g. 4.3.1)")
    if fig_no is None and sh[1] != m.group(2):
        raise CsvError(path, sh[0], 3, f"'# section: {sh[1]}' does not match the file name ({m.group(2)})")
    th = one("title")
    if th is None or not th[1]:
        raise CsvError(path, 1, None, "missing '# title: ...'")
    spec = Spec(path=path, slug=slug, figure=fig_no, section=sh[1], title=th[1])
    src = one("source")
    if src and src[1]:
        spec.sources = [s.strip() for s in src[1].split(";") if s.strip()]
        for s in spec.sources:
            if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", s):
                raise CsvError(path, src[0], 3, f"source {s!r} is not an organisation slug (lower-case, e.g. 'ind')")
    rd = one("reference-date")
    if rd and rd[1]:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", rd[1]):
            raise CsvError(path, rd[0], 3, f"reference-date {rd[1]!r} must be an ISO date YYYY-MM-DD")
        spec.reference_date = rd[1]
    me = one("measure")
    if me and me[1]:
        if me[1] not in MEASURES:
            raise CsvError(path, me[0], 3, f"unknown measure {me[1]!r}; use one of {', '.join(MEASURES)}")
        spec.measure = me[1]
    un = one("unit")
    if un and un[1]:
        spec.unit = un[1]
    spec.notes = [v for _, v in header.get("note", []) if v]
    co = one("chart-only")
    if co:
        if co[1] not in ("true", "false"):
            raise CsvError(path, co[0], 3, "chart-only must be 'true' or 'false'")
        spec.chart_only = co[1] == "true"

    if not body:
        if not spec.chart_only:
            raise CsvError(path, len(lines) or 1, None, "no column line and no rows: add rows or '# chart-only: true'")
        return spec
    col_line_no, col_line = body[0]
    cols = next(csv.reader([col_line]))
    cols = [c.strip() for c in cols]
    for i, c in enumerate(cols, start=1):
        if c not in COLUMNS:
            raise CsvError(path, col_line_no, i, f"unknown column {c!r}; allowed: {','.join(COLUMNS)}")
    if len(set(cols)) != len(cols):
        raise CsvError(path, col_line_no, None, "a column name occurs twice")
    for req in ("id", "period", "value"):
        if req not in cols:
            raise CsvError(path, col_line_no, None, f"missing required column {req!r}")
    if spec.chart_only and len(body) > 1:
        raise CsvError(path, body[1][0], 1, "a chart-only file has no rows: remove the rows or '# chart-only: true'")

    ids: dict[str, int] = {}
    for no, line in body[1:]:
        fields = next(csv.reader([line]))
        if len(fields) != len(cols):
            raise CsvError(path, no, None, f"{len(fields)} fields, expected {len(cols)} ({','.join(cols)}); "
                                           "quote values that contain a comma, e.g. \"12,5\"")
        rec = {c: f.strip() for c, f in zip(cols, fields)}
        col = {c: i for i, c in enumerate(cols, start=1)}
        rid = rec["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9\-._]*", rid):
            raise CsvError(path, no, col["id"], f"id {rid!r} must be a lower-case slug (a-z, 0-9, '-', '.', '_')")
        if re.fullmatch(r"\d+", rid):
            raise CsvError(path, no, col["id"], f"id {rid!r} looks like a row number; use a descriptive slug")
        if rid in ids:
            raise CsvError(path, no, col["id"], f"duplicate id {rid!r} (first on line {ids[rid]})")
        ids[rid] = no
        period = rec["period"]
        if not period:
            raise CsvError(path, no, col["period"], "empty period")
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?|-Q[1-4]|-H[12]|/\d{4})?", period):
            raise CsvError(path, no, col["period"], f"period {period!r}: use 2024, 2023/2024, 2024-12-31, 2024-Q1, "
                                                    "2024-H1 or 2024-01")
        measure = rec.get("measure") or ""
        if measure and measure not in MEASURES:
            raise CsvError(path, no, col["measure"], f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
        try:
            parsed = parse_value(rec["value"])
        except ValueParseError as e:
            raise CsvError(path, no, col["value"], str(e)) from None
        if not measure:
            measure = "percentage" if parsed.percent and spec.measure == "count" else spec.measure
        if parsed.percent and measure not in ("percentage",):
            raise CsvError(path, no, col["value"], f"value {rec['value']!r} is a percentage but measure is {measure!r}")
        for d in ("nationality", "memberState"):
            v = rec.get(d) or ""
            if v and not re.fullmatch(r"[A-Z]{2}|x-[a-z0-9\-]+", v):
                raise CsvError(path, no, col[d], f"{d} {v!r}: use an ISO 3166-1 alpha-2 code (SY) or x-<group> "
                                                 "(x-overig, x-eu27)")
        rank = rec.get("rank") or ""
        if rank and not re.fullmatch(r"[1-9]\d*", rank):
            raise CsvError(path, no, col["rank"], f"rank {rank!r} must be a positive whole number")
        change = (rec.get("change-of") or "").split()
        if change and len(change) != 2:
            raise CsvError(path, no, col["change-of"], "change-of takes two ids: '<old id> <new id>'")
        spec.rows.append(Row(
            line=no, id=rid, period=period,
            dims={d: rec.get(d) or "" for d in DIMENSIONS},
            measure=measure, value=rec["value"], parsed=parsed, change_of=change,
            sum_of=(rec.get("sum-of") or "").split(), rank=rank,
        ))
    labels: dict[str, tuple[str, int]] = {}
    for r in spec.rows:
        for d in ("category", "route", "residencePurpose"):
            lab = r.dims[d]
            if lab:
                slug = slugify(lab)
                if slug in labels and labels[slug][0] != lab:
                    raise CsvError(path, r.line, cols.index(d) + 1,
                                   f"{d} {lab!r} and {labels[slug][0]!r} (line {labels[slug][1]}) give the same code "
                                   f"'{slug}'; write the label the same way each time")
                labels.setdefault(slug, (lab, r.line))
    for r in spec.rows:
        for ref in r.change_of + r.sum_of:
            if ref not in ids:
                c = cols.index("change-of" if ref in r.change_of else "sum-of") + 1
                raise CsvError(path, r.line, c, f"refers to id {ref!r}, which is not in this file")
            if ref == r.id:
                raise CsvError(path, r.line, None, "a row cannot refer to itself in change-of/sum-of")
    return spec


# --------------------------------------------------------------------------- RDF


def period_literal(p: str) -> Literal:
    if re.fullmatch(r"\d{4}", p):
        return Literal(p, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p):
        return Literal(p, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", p):
        return Literal(p, datatype=XSD.gYearMonth)
    return Literal(p)


def decimal_literal(d: Decimal, integer: bool = False) -> Literal:
    if integer:
        return Literal(str(int(d)), datatype=XSD.integer)
    s = format(d.normalize(), "f")
    if "." not in s:
        s += ".0"
    return Literal(s, datatype=XSD.decimal)


def build_graph(spec: Spec) -> Graph:
    g = Graph()
    for p, ns in [("mkg", MKG), ("qb", QB), ("sdmx-dimension", SDMX_DIM), ("sdmx-attribute", SDMX_ATT),
                  ("dcterms", DCTERMS), ("prov", PROV), ("skos", SKOS), ("rdfs", RDFS), ("xsd", XSD),
                  ("land", Namespace(ID + "land/")), ("organisatie", Namespace(ID + "organisatie/")),
                  ("figuur", Namespace(REPORT + "/figuur/")), ("sectie", Namespace(REPORT + "/sectie/")),
                  ("code", Namespace(ID + "code/" + spec.slug + "/")), ("ds", Namespace(str(spec.iri) + "/"))]:
        g.bind(p, ns)
    ds = spec.iri
    src = spec.derived_from
    label_prefix = f"Figuur {spec.figure}" if spec.figure is not None else f"Sectie {spec.section}"
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, RDFS.label, Literal(f"{label_prefix}: {spec.title}", lang="nl")))
    g.add((ds, DCTERMS.title, Literal(spec.title, lang="nl")))
    g.add((ds, PROV.wasDerivedFrom, src))
    if spec.figure is not None:
        g.add((ds, MKG.mentionedIn, URIRef(f"{REPORT}/sectie/{spec.section}")))
    for s in spec.sources:
        g.add((ds, MKG.dataSource, URIRef(ID + "organisatie/" + s)))
    if spec.reference_date:
        g.add((ds, MKG.referenceDate, Literal(spec.reference_date, datatype=XSD.date)))
    for n in spec.notes:
        g.add((ds, RDFS.comment, Literal(n, lang="nl")))
        if n.lower().startswith("datakwaliteit"):
            g.add((ds, MKG.dataQualityNote, Literal(re.sub(r"(?i)^datakwaliteit:\s*", "", n), lang="nl")))
    if spec.chart_only:
        g.add((ds, MKG.chartOnly, Literal(True)))
    if spec.unit:
        g.add((ds, SDMX_ATT.unitMeasure, Literal(spec.unit, lang="nl")))

    # Which components are used
    used_dims = [d for d in DIMENSIONS if any(r.dims[d] for r in spec.rows)]
    measures = sorted({r.measure for r in spec.rows} | ({"rank"} if any(r.rank for r in spec.rows) else set()))
    if not measures:
        measures = [spec.measure]
    use_measure_type = len(measures) > 1

    dsd = URIRef(str(ds) + "/structure")
    g.add((ds, QB.structure, dsd))
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    g.add((dsd, RDFS.label, Literal(f"Structuur van {label_prefix}", lang="nl")))
    scheme = URIRef(ID + "code/" + spec.slug)
    order = 0

    def comp(local: str, kind: URIRef, prop: URIRef, **extra) -> URIRef:
        nonlocal order
        order += 1
        c = URIRef(f"{dsd}/{local}")
        g.add((dsd, QB.component, c))
        g.add((c, RDF.type, QB.ComponentSpecification))
        g.add((c, RDFS.label, Literal(f"Component {local} van {label_prefix}", lang="nl")))
        g.add((c, kind, prop))
        g.add((c, QB.order, Literal(order)))
        for k, v in extra.items():
            g.add((c, QB[k], v))
        return c

    comp("refPeriod", QB.dimension, SDMX_DIM.refPeriod)
    local_codes = False
    for d in used_dims:
        if d in ("nationality", "memberState"):
            comp(d, QB.dimension, DIM_PROPS[d], codeList=LAND_SCHEME)
        else:
            comp(d, QB.dimension, DIM_PROPS[d], codeList=scheme)
            local_codes = True
    if use_measure_type:
        comp("measureType", QB.dimension, QB.measureType)
    for m in measures:
        comp(m, QB.measure, MEASURES[m])
    comp("publishedValue", QB.attribute, MKG.publishedValue, componentRequired=Literal(True))
    comp("valueStatus", QB.attribute, MKG.valueStatus, componentRequired=Literal(True))
    if spec.unit:
        comp("unitMeasure", QB.attribute, SDMX_ATT.unitMeasure, componentAttachment=QB.DataSet)

    if local_codes:
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, RDFS.label, Literal(f"Codelijst {label_prefix}", lang="nl")))
        g.add((scheme, SKOS.prefLabel, Literal(f"Codelijst {label_prefix}", lang="nl")))
        g.add((scheme, PROV.wasDerivedFrom, src))

    def code(dim: str, label: str) -> URIRef:
        if dim in ("nationality", "memberState"):
            if not label:
                label = TOTAL_CODE
            iri = URIRef(ID + "land/" + label.lower())
            if label.startswith("x-"):
                text = GROUP_LABELS.get(label, label[2:].replace("-", " "))
                g.add((iri, RDF.type, SKOS.Concept))
                g.add((iri, SKOS.prefLabel, Literal(text, lang="nl")))
                g.add((iri, RDFS.label, Literal(text, lang="nl")))
                g.add((iri, SKOS.inScheme, LAND_SCHEME))
                g.add((iri, SKOS.notation, Literal(label)))
            return iri
        if not label:
            slug, text = TOTAL_CODE, "totaal (niet uitgesplitst)"
        else:
            slug, text = slugify(label), label
        iri = URIRef(f"{ID}code/{spec.slug}/{slug}")
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.prefLabel, Literal(text, lang="nl")))
        g.add((iri, RDFS.label, Literal(text, lang="nl")))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SKOS.notation, Literal(slug)))
        return iri

    obs_iri = {r.id: URIRef(f"{ds}/obs/{r.id}") for r in spec.rows}
    for r in spec.rows:
        dim_values = {d: code(d, r.dims[d]) for d in used_dims}
        desc = " | ".join(x for x in [r.dims["category"], r.dims["nationality"], r.dims["memberState"],
                                       r.dims["residencePurpose"], r.dims["route"]] if x)

        def emit(o: URIRef, measure: str, number: Decimal | None, status: str, published: str) -> None:
            g.add((o, RDF.type, QB.Observation))
            g.add((o, QB.dataSet, ds))
            g.add((o, SDMX_DIM.refPeriod, period_literal(r.period)))
            for d, v in dim_values.items():
                g.add((o, DIM_PROPS[d], v))
            if use_measure_type:
                g.add((o, QB.measureType, MEASURES[measure]))
            if number is not None:
                g.add((o, MEASURES[measure], decimal_literal(number, integer=(measure == "rank"))))
            g.add((o, MKG.publishedValue, Literal(published)))
            g.add((o, MKG.valueStatus, MKG[status]))
            g.add((o, PROV.wasDerivedFrom, src))
            lab = f"{label_prefix}, {r.period}" + (f", {desc}" if desc else "") + f": {published}"
            if measure == "rank" and o != obs_iri[r.id]:
                lab = f"{label_prefix}, {r.period}" + (f", {desc}" if desc else "") + f": plaats {published}"
            g.add((o, RDFS.label, Literal(lab, lang="nl")))

        o = obs_iri[r.id]
        emit(o, r.measure, r.parsed.number, r.parsed.status, r.value)
        if r.change_of:
            old, new = obs_iri[r.change_of[0]], obs_iri[r.change_of[1]]
            g.add((o, MKG.comparesWith, old))
            g.add((o, MKG.comparesWith, new))
            g.add((o, MKG.changeFrom, old))
            g.add((o, MKG.changeTo, new))
        for part in r.sum_of:
            g.add((o, MKG.sumOf, obs_iri[part]))
        if r.rank:
            emit(URIRef(f"{o}/rank"), "rank", Decimal(r.rank), "ExactValue", r.rank)
            g.add((URIRef(f"{o}/rank"), MKG.comparesWith, o))
    return g


HEADER = "# Generated by app/stats/convert.py from data/stats/{name}. Do not edit: change the CSV and run\n" \
         "# `python -m app.stats.convert`.\n"


def render(spec: Spec) -> str:
    g = build_graph(spec)
    body = g.serialize(format="turtle")
    return HEADER.format(name=spec.path.name) + body


COMPONENTS_NAME = "componenten.ttl"
COMPONENTS_TTL = """# Generated by app/stats/convert.py. Declarations of the W3C Data Cube / SDMX components the statistics use but
# that neither the ontology nor a loaded vocabulary declares (needed for IC-4 "dimensions have range" and IC-5).

@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .

sdmx-dimension:refPeriod a rdf:Property , qb:DimensionProperty ;
    rdfs:label "referentieperiode"@nl , "reference period"@en ;
    rdfs:comment "De periode of peildatum waarop de observatie betrekking heeft (jaar, schooljaar, datum, kwartaal)."@nl ,
        "The period or reference date the observation refers to (year, school year, date, quarter)."@en ;
    rdfs:range rdfs:Literal .

qb:measureType a rdf:Property , qb:DimensionProperty ;
    rdfs:label "soort maat"@nl , "measure type"@en ;
    rdfs:comment "Dimensie die aangeeft welke maat een observatie draagt, in datasets met meer dan een maat."@nl ,
        "Dimension that says which measure an observation carries, in datasets with more than one measure."@en ;
    rdfs:range qb:MeasureProperty .

sdmx-attribute:unitMeasure a rdf:Property , qb:AttributeProperty ;
    rdfs:label "eenheid"@nl , "unit of measure"@en ;
    rdfs:comment "De eenheid van de getallen (personen, aanvragen, euro, ...)."@nl ,
        "The unit of the numbers (persons, applications, euro, ...)."@en .

sdmx-measure:obsValue a rdf:Property , qb:MeasureProperty ;
    rdfs:label "waarde"@nl , "observation value"@en ;
    rdfs:comment "De waarde van een observatie; de maten van de ontologie zijn er subproperties van."@nl ,
        "The value of an observation; the measures of the ontology are subproperties of it."@en .
"""


def output_path(csv_path: Path) -> Path:
    return OUT_DIR / (csv_path.stem + ".ttl")


def csv_files(stats_dir: Path = STATS_DIR) -> list[Path]:
    return sorted(p for p in stats_dir.glob("*.csv") if re.match(r"(figuur|sectie)-", p.name))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.stats.convert", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if any generated file is stale or missing")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = args.files or csv_files()
    errors, stale = [], []
    expected = set()
    for f in files:
        try:
            spec = parse_csv(f)
            text = render(spec)
        except CsvError as e:
            errors.append(str(e))
            continue
        out = output_path(f)
        expected.add(out.name)
        if args.check:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                stale.append(str(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out))
        else:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                out.write_text(text, encoding="utf-8")
    comp_out = OUT_DIR / COMPONENTS_NAME
    if args.check:
        if not comp_out.exists() or comp_out.read_text(encoding="utf-8") != COMPONENTS_TTL:
            stale.append(str(comp_out))
    else:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        if not comp_out.exists() or comp_out.read_text(encoding="utf-8") != COMPONENTS_TTL:
            comp_out.write_text(COMPONENTS_TTL, encoding="utf-8")
    if not args.files and OUT_DIR.exists():
        for orphan in sorted(OUT_DIR.glob("*.ttl")):
            if orphan.name not in expected and re.match(r"(figuur|sectie)-", orphan.name):
                if args.check:
                    stale.append(f"{orphan} (no CSV any more)")
                elif not errors:
                    orphan.unlink()
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if args.check and stale:
        for s in stale:
            print(f"stale: {s}", file=sys.stderr)
        print("run `python -m app.stats.convert` to regenerate", file=sys.stderr)
    if not args.check:
        print(f"converted {len(files) - len(errors)} of {len(files)} CSV files into {OUT_DIR}")
    return 1 if errors or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
