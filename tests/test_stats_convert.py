"""The statistics converter: Dutch number parsing, CSV errors with file/line/column, Data Cube output, staleness."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from app.stats import convert
from app.stats.convert import CsvError, parse_csv, render
from app.stats.values import ValueParseError, parse_value

from stats_helpers import FIXTURES, ROOT

MKG = Namespace("https://w3id.org/migratie-kg/def#")
QB = Namespace("http://purl.org/linked-data/cube#")
DS6 = "https://w3id.org/migratie-kg/id/dataset/figuur-6"


@pytest.mark.parametrize("text,number,status,percent", [
    ("38.320", Decimal(38320), "ExactValue", False),
    ("12,5", Decimal("12.5"), "ExactValue", False),
    ("-7%", Decimal(-7), "ExactValue", True),
    ("+58%", Decimal(58), "ExactValue", True),
    ("1.234.567", Decimal(1234567), "ExactValue", False),
    ("4,35 miljoen", Decimal(4350000), "ExactValue", False),
    ("<5", None, "CensoredBelow5", False),
    ("<10", None, "CensoredBelow10", False),
    ("n.v.t.", None, "NotApplicable", False),
    ("-", None, "NotApplicable", False),
    ("meer dan 100.000", Decimal(100000), "LowerBound", False),
    ("ruim 7.000", Decimal(7000), "Approximate", False),
    ("1 op de 67", None, "TextualValue", False),
])
def test_parse_value(text, number, status, percent):
    v = parse_value(text)
    assert (v.number, v.status, v.percent) == (number, status, percent)


@pytest.mark.parametrize("text", ["12,,5", "1.5", "38.32", "abc1", ""])
def test_parse_value_rejects_malformed(text):
    with pytest.raises(ValueParseError):
        parse_value(text)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "# figure: 6\n# section: 2.2.3\n# title: Erkend referenten, 2023-2024\n# source: ind\n"


@pytest.mark.parametrize("body,line,column,message", [
    ("id,period,category,value\n2024-a,2024,A,1.2.3\n", 6, 4, "cannot read"),
    ("id,period,category,value\n2024-a,2024,A\n", 6, None, "3 fields, expected 4"),
    ("id,period,colour,value\n", 5, 3, "unknown column 'colour'"),
    ("id,period,category,value\n2024-a,24,A,5\n", 6, 2, "period '24'"),
    ("id,period,category,value\n2024-a,2024,A,5\n2024-a,2024,B,6\n", 7, 1, "duplicate id"),
    ("id,period,category,value\n12,2024,A,5\n", 6, 1, "looks like a row number"),
    ("id,period,category,measure,value\n2024-a,2024,A,weight,5\n", 6, 4, "unknown measure"),
    ("id,period,category,value,change-of\n2024-a,2024,A,5%,2023-a 2024-b\n", 6, 5, "not in this file"),
    ("id,period,nationality,value\n2024-a,2024,Syria,5\n", 6, 3, "ISO 3166-1"),
])
def test_malformed_csv_names_file_line_column(tmp_path, body, line, column, message):
    p = write(tmp_path, "figuur-006.csv", HEAD + body)
    with pytest.raises(CsvError) as exc:
        parse_csv(p)
    e = exc.value
    assert (e.line, e.column) == (line, column), str(e)
    assert message in e.message
    assert str(e).startswith(f"{p}:{line}")


def test_header_errors(tmp_path):
    with pytest.raises(CsvError, match="does not match the file name"):
        parse_csv(write(tmp_path, "figuur-007.csv", HEAD + "# chart-only: true\n"))
    with pytest.raises(CsvError, match="figuur-NNN.csv"):
        parse_csv(write(tmp_path, "figuur-6.csv", HEAD))
    with pytest.raises(CsvError, match="no rows"):
        parse_csv(write(tmp_path, "figuur-006.csv", HEAD))
    with pytest.raises(CsvError, match="unknown header key"):
        parse_csv(write(tmp_path, "figuur-006.csv", HEAD + "# colour: red\n# chart-only: true\n"))


def graph_of(name: str):
    return convert.build_graph(parse_csv(FIXTURES / "good" / name))


def test_observations_values_and_links():
    g = graph_of("figuur-006.csv")
    ds = URIRef(DS6)
    assert (ds, RDF.type, QB.DataSet) in g
    assert (ds, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
            URIRef("https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025/figuur/6")) in g
    obs = URIRef(DS6 + "/obs/2023-aanvragen")
    assert g.value(obs, MKG["count"]) == Literal("1660.0", datatype=XSD.decimal)
    assert str(g.value(obs, MKG.publishedValue)) == "1.660"
    assert g.value(obs, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")) == \
        Literal("2023", datatype=XSD.gYear)
    change = URIRef(DS6 + "/obs/verschil-aanvragen")
    assert g.value(change, MKG.percentage) == Literal("-11.0", datatype=XSD.decimal)
    assert g.value(change, MKG.changeFrom) == obs
    assert set(g.objects(change, MKG.comparesWith)) == {obs, URIRef(DS6 + "/obs/2024-aanvragen")}
    # counts and percentages mixed: a measure dimension, one measure per observation
    assert g.value(change, QB.measureType) == MKG.percentage
    assert g.value(change, MKG["count"]) is None
    stock = URIRef(DS6 + "/obs/2023-referenten")
    assert g.value(stock, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")).datatype == XSD.date


def test_censored_values_keep_text_and_have_no_number():
    g = graph_of("figuur-005.csv")
    base = "https://w3id.org/migratie-kg/id/dataset/figuur-5/obs/"
    na, below10 = URIRef(base + "2024-in"), URIRef(base + "2024-sy")
    assert g.value(na, MKG.valueStatus) == MKG.NotApplicable
    assert g.value(below10, MKG.valueStatus) == MKG.CensoredBelow10
    assert str(g.value(below10, MKG.publishedValue)) == "<10"
    assert g.value(below10, MKG["count"]) is None
    rank = URIRef(base + "2024-sy/rank")
    assert g.value(rank, MKG.rank) == Literal("2", datatype=XSD.integer)
    assert g.value(below10, MKG.nationality) == URIRef("https://w3id.org/migratie-kg/id/land/sy")


def test_chart_only_dataset_has_no_observations():
    g = graph_of("figuur-001.csv")
    ds = URIRef("https://w3id.org/migratie-kg/id/dataset/figuur-1")
    assert g.value(ds, MKG.chartOnly) == Literal(True)
    assert not list(g.subjects(QB.dataSet, ds))


def test_render_is_deterministic():
    spec = parse_csv(FIXTURES / "good" / "figuur-016.csv")
    assert render(spec) == render(parse_csv(FIXTURES / "good" / "figuur-016.csv"))


def test_generated_files_are_up_to_date():
    """data/ttl/statistiek/ must be regenerated whenever a CSV changes: python -m app.stats.convert."""
    assert convert.main(["--check"]) == 0


def test_every_figure_of_chapters_2_and_3_has_a_csv():
    missing = [n for n in range(1, 42) if not (ROOT / "data" / "stats" / f"figuur-{n:03d}.csv").exists()]
    assert not missing


def test_every_stats_csv_parses():
    errors = []
    for f in convert.csv_files():
        try:
            parse_csv(f)
        except CsvError as e:
            errors.append(str(e))
    assert not errors, "\n".join(errors)


def test_labels_that_collide_in_one_code_are_rejected(tmp_path):
    p = write(tmp_path, "figuur-006.csv", HEAD + "id,period,category,value\n2023-a,2023,Arbeid,5\n2024-a,2024,arbeid,6\n")
    with pytest.raises(CsvError, match="give the same code 'arbeid'") as exc:
        parse_csv(p)
    assert (exc.value.line, exc.value.column) == (7, 3)
