"""check_stats (recomputed changes and totals), the W3C Data Cube integrity constraints, and figure coverage."""
from __future__ import annotations

import pytest

from app.stats.check import check_stats, datacube_integrity, ic_queries
from app.stats.coverage import coverage

from stats_helpers import FIXTURES, store_from

GOOD = sorted((FIXTURES / "good").glob("*.csv"))


def test_ic_queries_cover_ic_1_to_21():
    assert [ic for ic, _, _ in ic_queries()] == [f"IC-{n}" for n in range(1, 22)]


def test_good_fixtures_have_no_discrepancies(tmp_path):
    assert check_stats(store_from(GOOD, tmp_path)) == []


def test_wrong_change_and_wrong_totals_are_reported(tmp_path):
    store = store_from(sorted((FIXTURES / "broken").glob("*.csv")), tmp_path)
    found = {(d.figure, d.kind, d.published) for d in check_stats(store)}
    assert found == {("Figuur 6", "change", "+25%"), ("Figuur 16", "sum", "5.940"), ("Figuur 16", "sum", "40")}
    msg = [d for d in check_stats(store) if d.kind == "change"][0]
    assert "-11" in msg.expected and "1.660" in msg.message


def test_good_fixtures_satisfy_the_data_cube_constraints(tmp_path):
    violations = [v for v in datacube_integrity(store_from(GOOD, tmp_path)) if v.severity == "violation"]
    assert violations == []


BROKEN_CUBE = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix mkg: <https://w3id.org/migratie-kg/def#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ds: <https://w3id.org/migratie-kg/id/dataset/figuur-6/obs/> .
# a duplicate of 2023-aanvragen (IC-12), an observation without period (IC-11) and without data set (IC-1)
ds:dubbel a qb:Observation ; qb:dataSet <https://w3id.org/migratie-kg/id/dataset/figuur-6> ;
    sdmx-dimension:refPeriod "2023"^^xsd:gYear ; qb:measureType mkg:count ;
    mkg:category <https://w3id.org/migratie-kg/id/code/figuur-6/aantal-aanvragen-erkend-referentschap> ;
    mkg:count 1660.0 ; mkg:publishedValue "1.660" ; mkg:valueStatus mkg:ExactValue .
ds:zonder-periode a qb:Observation ; qb:dataSet <https://w3id.org/migratie-kg/id/dataset/figuur-6> ;
    qb:measureType mkg:count ;
    mkg:category <https://w3id.org/migratie-kg/id/code/figuur-6/aantal-aanvragen-erkend-referentschap> ;
    mkg:count 1.0 ; mkg:publishedValue "1" ; mkg:valueStatus mkg:ExactValue .
ds:los a qb:Observation .
"""


def test_data_cube_violations_are_found(tmp_path):
    store = store_from([FIXTURES / "good" / "figuur-006.csv"], tmp_path, [("kapot", BROKEN_CUBE)])
    found = {(v.ic, v.focus.rsplit("/", 1)[-1]) for v in datacube_integrity(store) if v.severity == "violation"}
    assert ("IC-12", "2023-aanvragen") in found or ("IC-12", "dubbel") in found
    assert ("IC-11", "zonder-periode") in found
    assert ("IC-1", "los") in found


def test_coverage_reports_every_figure(tmp_path):
    rows = coverage(store_from(GOOD, tmp_path))
    assert [r.figure for r in rows] == list(range(1, 133))
    by = {r.figure: r for r in rows}
    assert by[1].status == "chart-only"
    assert by[6].status == "in-graph" and by[6].observations == 6
    assert by[100].status == "not-yet" and "figuur-100.csv" in by[100].reason


def test_cli_commands_use_the_check_and_coverage_functions(tmp_path, capsys):
    import argparse

    from app.stats import cli

    broken = store_from(sorted((FIXTURES / "broken").glob("*.csv")), tmp_path)
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cli.register(sub, lambda p: None, lambda args: (broken, None))
    args = parser.parse_args(["check-stats"])
    assert args.func(args) == 1
    out = capsys.readouterr().out
    assert "Figuur 6: change: published +25%" in out and "3 discrepancies" in out
    args = parser.parse_args(["coverage", "--missing"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "Figuur 100: not yet" in out and "Figuur 6:" not in out
