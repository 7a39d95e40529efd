"""A build after a month's files rewrites only the months they touched (warehouse/build_periods.py), and gives the
tables a whole rebuild gives: after months in order, a month skipped and sent late, an earlier month corrected
(its later months and the next year's growth depend on it), and a reference file or another due day."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from mubiao.foundation.zone import ZONE_TIME
from mubiao.warehouse.dictionary import BY_MONTH, VIEW
from mubiao.warehouse.model_files import read_models
from mubiao.warehouse.models import apply_schema, build_models, needs_build
from tests.test_models import REFERENCES, progress, project, value


def receive(con: duckdb.DuckDBPyConnection, name: str, kind: str, rows: list[dict]) -> None:
    """Load one file of `kind` as the loader would: its ledger row, then its rows into staging."""
    seq = con.execute("select coalesce(max(seq), 0) + 1 from audit.files").fetchone()[0]
    sha = f"{seq:064x}"
    received = dt.datetime(2016, 1, 1, 9, tzinfo=ZONE_TIME) + dt.timedelta(days=seq)
    con.execute(
        "insert into audit.files values (?, ?, ?, ?, ?, 'loaded', 0, 0, 0, null, 0)", [seq, name, sha, kind, received]
    )
    if not rows:  # a file whose every row was quarantined
        return
    con.register("given_rows", pd.DataFrame([{"sha256": sha, "row_number": n, **row} for n, row in enumerate(rows, 1)]))
    con.execute(f"insert into staging.{kind} by name select * from given_rows")
    con.unregister("given_rows")


def with_references() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with its schema and the zone's reference files received."""
    con = duckdb.connect()
    apply_schema(con)
    for name, tables in REFERENCES.items():
        receive(con, name, *next(iter(tables.items())))
    return con


def built(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = [model.name for model in read_models() if model.kind != VIEW]
    return {name: con.execute(f"select * from {name} order by all").fetchall() for name in tables}


def months(code: str, year: int, month: int, figures: dict[str, float]) -> list[dict]:
    return [{**value(unit, code, year, month, figure), "year": year} for unit, figure in figures.items()]


ARRIVALS = [
    ("2016-01.csv", months("FAI", 2016, 1, {"T01": 1, "T02": 2}) + months("GDP", 2016, 1, {"B01": 10})),
    ("2016-02.csv", months("FAI", 2016, 2, {"T01": 3, "T02": 4}) + months("GDP", 2016, 2, {"B01": 20})),
    ("2016-04.csv", months("FAI", 2016, 4, {"T01": 7, "T02": 8})),  # March skipped: now owed
    ("2016-03.csv", months("FAI", 2016, 3, {"T01": 5})),  # late, and T02 still owes it
    ("2016-02-更正.csv", months("FAI", 2016, 2, {"T01": 9})),  # above March and April: they are flagged now
    ("2017-02.csv", months("FAI", 2017, 2, {"T01": 4, "T02": 4})),
    ("2016-02-再更正.csv", months("FAI", 2016, 2, {"T01": 2})),  # 2017年2月's growth changes with it
]


def test_a_build_of_the_touched_months_equals_a_whole_rebuild():
    con = with_references()
    receive(con, "projects.csv", "projects", [project("P1", 12) | {"year": 2016}])
    build_models(con, since_last_build=True)
    steps = [(name, "indicator_values", rows) for name, rows in ARRIVALS]
    steps.insert(3, ("p.csv", "project_progress", [progress("P1", 4, 2) | {"year": 2016}]))
    flagged = {}
    for name, kind, rows in steps:
        receive(con, name, kind, rows)
        build_models(con, since_last_build=True)
        assert con.execute("select count(*) from params.build_months").fetchone()[0] < 24, name  # not every month
        by_month = built(con)
        build_models(con)
        assert built(con) == by_month, name
        flagged[name] = con.execute("select coalesce(list(key order by key), []) from audit.warnings").fetchone()[0]
    assert flagged["2016-02-更正.csv"] == ["T01/FAI/2016-03", "T01/FAI/2016-04"]
    assert flagged["2016-02-再更正.csv"] == []
    growth = "select yoy_pct from core.zone_indicator_values where indicator_code = 'FAI' and year = 2017 and month = 2"
    assert con.execute(growth).fetchone()[0] == round((8 / 6 - 1) * 100, 2)
    status = "select status from marts.submission_status where unit_code = 'T02' and (year, month) = (2016, 3)"
    assert con.execute(status).fetchone()[0] == "missing"
    assert {model.name for model in read_models() if model.kind == BY_MONTH} <= set(by_month)


def test_a_reference_file_or_another_due_day_rebuilds_every_month():
    con = with_references()
    receive(con, ARRIVALS[0][0], "indicator_values", ARRIVALS[0][1])
    build_models(con, since_last_build=True)
    receive(con, ARRIVALS[1][0], "indicator_values", ARRIVALS[1][1])
    build_models(con, due_day=10, since_last_build=True)
    assert con.execute("select count(*) from params.build_months").fetchone()[0] == 12
    receive(con, "units-2.csv", "units", REFERENCES["units.csv"]["units"])
    build_models(con, due_day=10, since_last_build=True)
    assert con.execute("select count(*) from params.build_months").fetchone()[0] == 12
    receive(con, ARRIVALS[2][0], "indicator_values", ARRIVALS[2][1])
    build_models(con, due_day=10, since_last_build=True)
    periods = con.execute("select year, month from params.build_months order by all").fetchall()
    assert periods == [(2016, month) for month in range(3, 13)] + [(2017, 4)]  # March is owed now
    receive(con, "workbook.xlsx", "indicator_values", ARRIVALS[3][1])
    con.execute("update audit.files set kind = 'indicator_values,project_progress' where file_name = 'workbook.xlsx'")
    build_models(con, due_day=10, since_last_build=True)
    assert con.execute("select count(*) from params.build_months").fetchone()[0] < 12, (
        "a workbook of values and progress"
    )


def test_models_other_than_the_last_build_s_rebuild_every_month():
    """After an upgrade of mubiao whose models differ, the months built before it are built again with them."""
    con = with_references()
    receive(con, ARRIVALS[0][0], "indicator_values", ARRIVALS[0][1])
    build_models(con, since_last_build=True)
    con.execute("update audit.builds set models_sha256 = 'an earlier mubiao'")
    receive(con, ARRIVALS[1][0], "indicator_values", ARRIVALS[1][1])
    build_models(con, since_last_build=True)
    assert con.execute("select count(*) from params.build_months").fetchone()[0] == 12


def test_a_model_missing_from_an_earlier_mubiao_s_build_needs_a_build():
    """A look for news reads the models only when the last build had other models: those it made are all there."""
    con = with_references()
    build_models(con, since_last_build=True)
    assert not needs_build(con)
    con.execute("drop table marts.unit_scorecard")
    assert not needs_build(con), "the last build, with these models, made it: a table dropped behind mubiao's back"
    con.execute("update audit.builds set models_sha256 = 'an earlier mubiao'")
    assert needs_build(con), "an earlier mubiao's build may not have made it"
    build_models(con, since_last_build=True)
    assert not needs_build(con)
    con.execute("alter table audit.builds drop column models_sha256")  # as no mubiao since made the column
    assert not needs_build(con)


def test_the_months_of_a_new_file_s_quarantined_rows_and_an_unreadable_file_s_name_are_built():
    """A file whose every row is quarantined touches the months core.quarantine_rows gives its rows (a row without
    a period takes its file's); an unreadable file, the month its name names."""
    con = with_references()
    receive(con, ARRIVALS[0][0], "indicator_values", ARRIVALS[0][1])
    build_models(con, since_last_build=True)
    receive(con, "2016-06.csv", "indicator_values", [])
    con.execute("""
        insert into audit.quarantine
        select sha256, null, n, 'indicator_values', '数值无法识别', '{}', 'T01', year, month
        from (select sha256 from audit.files where file_name = '2016-06.csv'),
            (values (1, 2016, 6), (2, 2016, 6), (3, null, null), (4, 2016, null)) as rows (n, year, month)
    """)
    build_models(con, since_last_build=True)
    periods = con.execute("select year, month from params.build_months order by all").fetchall()
    assert periods == [(2016, month) for month in range(6, 13)] + [(2017, 6)]
    attributed = "select distinct year, month from core.quarantine_rows where file_name = '2016-06.csv'"
    assert con.execute(attributed).fetchall() == [(2016, 6)]
    by_month = built(con)
    build_models(con)
    assert built(con) == by_month
    seq = con.execute("select max(seq) + 1 from audit.files").fetchone()[0]
    con.execute(
        "insert into audit.files values (?, '2016年9月指标.csv', ?, null, ?, 'unreadable', 0, 0, 0, '无法读取', 0)",
        [seq, f"{seq:064x}", dt.datetime(2016, 10, 1, tzinfo=ZONE_TIME)],
    )
    build_models(con, since_last_build=True)
    periods = con.execute("select year, month from params.build_months order by all").fetchall()
    assert periods == [(2016, month) for month in range(9, 13)] + [(2017, 9)]
