"""Model tests in the manner of SQLMesh's: a few rows into the stored tables a model reads, and the rows it must
give. Each case is small enough to check by hand against docs/marts.md §3; the zone-wide tests check the same models
against whole zones."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from mubiao.foundation.zone import ZONE_TIME
from mubiao.warehouse.models import apply_schema, build_models

UNITS = [
    {"unit_code": "B01", "unit_name": "统计局", "unit_type": "区直部门"},
    {"unit_code": "T01", "unit_name": "东镇", "unit_type": "乡镇街道"},
    {"unit_code": "T02", "unit_name": "西镇", "unit_type": "乡镇街道"},
]
INDICATORS = [
    {"indicator_code": "GDP", "indicator_name": "生产总值", "measure": "亿元", "aggregation": "reported",
     "responsible_unit": "B01"},
    {"indicator_code": "FAI", "indicator_name": "固定资产投资", "measure": "亿元", "aggregation": "sum",
     "responsible_unit": "B01"},
]  # fmt: skip


def given(files: dict[str, dict[str, list[dict]]], due_day: int = 5) -> duckdb.DuckDBPyConnection:
    """A built in-memory warehouse holding `files`: file name → {staging table → rows}, received in this order a
    day apart from 2017-01-01 (a file's `received_at` row, if given, says when instead)."""
    con = duckdb.connect()
    apply_schema(con)
    for seq, (name, tables) in enumerate(files.items(), 1):
        received = tables.get("received_at") or dt.datetime(2017, 1, seq, 9, tzinfo=ZONE_TIME)
        sha = f"{seq:064x}"
        con.execute(
            "insert into audit.files values (?, ?, ?, null, ?, 'loaded', 0, 0, 0, null, 0)", [seq, name, sha, received]
        )
        for table, rows in tables.items():
            if table == "received_at":
                continue
            frame = pd.DataFrame([{"sha256": sha, "row_number": number, **row} for number, row in enumerate(rows, 1)])
            con.register("given_rows", frame)
            con.execute(f"insert into staging.{table} by name select * from given_rows")
            con.unregister("given_rows")
    build_models(con, due_day)
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def value(unit: str, code: str, year: int, month: int, figure: float, yoy: float | None = None) -> dict:
    return {"unit_code": unit, "indicator_code": code, "year": year, "month": month, "value": figure,
            "measure": "亿元", "value_sent": figure, "measure_sent": "亿元", "yoy_pct": yoy}  # fmt: skip


REFERENCES = {"units.csv": {"units": UNITS}, "indicators.csv": {"indicators": INDICATORS}}


# --- core.zone_indicator_values ----------------------------------------------------------------------------


def test_zone_figures_take_the_reporter_or_the_sum_and_the_latest_version():
    con = given(
        {
            **REFERENCES,
            "2016.csv": {"indicator_values": [value("T01", "FAI", 2016, 6, 10), value("T02", "FAI", 2016, 6, 30)]},
            "june.csv": {
                "indicator_values": [
                    value("B01", "GDP", 2017, 6, 60, 8.1),
                    value("T01", "GDP", 2017, 6, 99, 50),  # not the responsible unit: not the zone figure
                    value("T01", "FAI", 2017, 6, 12),
                    value("T02", "FAI", 2017, 6, 30),
                ]
            },
            "june-corrected.csv": {"indicator_values": [value("T02", "FAI", 2017, 6, 33)]},
        }
    )
    assert rows(
        con,
        """select indicator_code, year, month, value, yoy_pct, aggregation, units_reporting
           from core.zone_indicator_values order by all""",
    ) == [
        {"indicator_code": "FAI", "year": 2016, "month": 6, "value": 40.0, "yoy_pct": None, "aggregation": "sum",
         "units_reporting": 2},
        {"indicator_code": "FAI", "year": 2017, "month": 6, "value": 45.0, "yoy_pct": 12.5, "aggregation": "sum",
         "units_reporting": 2},
        {"indicator_code": "GDP", "year": 2017, "month": 6, "value": 60.0, "yoy_pct": 8.1,
         "aggregation": "reported", "units_reporting": 1},
    ]  # fmt: skip


# --- core.project_month_states ----------------------------------------------------------------------------


def project(code: str, plan: float | None, category: str = "工业", unit: str = "T01") -> dict:
    return {"year": 2017, "project_code": code, "project_name": f"{code}项目", "category": category,
            "responsible_unit": unit, "total_investment": 100.0, "annual_plan": plan}  # fmt: skip


def progress(code: str, month: int, done: float, status: str | None = None) -> dict:
    return {"project_code": code, "year": 2017, "month": month, "completed_ytd": done, "status": status}


def test_each_project_is_carried_to_every_reported_month_and_judged_against_time_progress():
    """P2 has sent nothing by March: 未报送 there, never behind (docs/marts.md §3.6)."""
    con = given(
        {
            **REFERENCES,
            "projects.csv": {"projects": [project("P1", 12), project("P2", 12), project("P3", None, "前期")]},
            "march.csv": {"project_progress": [progress("P1", 3, 3)]},
            "june.csv": {"project_progress": [progress("P1", 6, 5, "竣工"), progress("P2", 6, 6)]},
        }
    )
    assert rows(
        con,
        """select as_of_month, project_code, completed_ytd::double as done, status, reported_month, started,
               finished, completion_pct, time_progress_pct, behind
           from core.project_month_states order by as_of_month, project_code""",
    ) == [
        {"as_of_month": 0, "project_code": "P1", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": 0.0, "time_progress_pct": 0.0, "behind": False},
        {"as_of_month": 0, "project_code": "P2", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": 0.0, "time_progress_pct": 0.0, "behind": False},
        {"as_of_month": 0, "project_code": "P3", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": None, "time_progress_pct": 0.0, "behind": False},
        {"as_of_month": 3, "project_code": "P1", "done": 3.0, "status": "已开工", "reported_month": 3,
         "started": True, "finished": False, "completion_pct": 25.0, "time_progress_pct": 25.0, "behind": False},
        {"as_of_month": 3, "project_code": "P2", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": 0.0, "time_progress_pct": 25.0, "behind": False},
        {"as_of_month": 3, "project_code": "P3", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": None, "time_progress_pct": 25.0, "behind": False},
        {"as_of_month": 6, "project_code": "P1", "done": 5.0, "status": "竣工", "reported_month": 6,
         "started": True, "finished": True, "completion_pct": 41.67, "time_progress_pct": 50.0, "behind": True},
        {"as_of_month": 6, "project_code": "P2", "done": 6.0, "status": "已开工", "reported_month": 6,
         "started": True, "finished": False, "completion_pct": 50.0, "time_progress_pct": 50.0, "behind": False},
        {"as_of_month": 6, "project_code": "P3", "done": 0.0, "status": "未开工", "reported_month": None,
         "started": False, "finished": False, "completion_pct": None, "time_progress_pct": 50.0, "behind": False},
    ]  # fmt: skip


# --- marts.target_completion ------------------------------------------------------------------------------


def target(code: str, text: str, kind: str, figure: float | None, tolerance: float | None = None) -> dict:
    return {"year": 2017, "indicator_code": code, "target_text": text, "target_type": kind, "target_value": figure,
            "tolerance": tolerance}  # fmt: skip


@pytest.fixture(scope="module")
def targets_zone() -> duckdb.DuckDBPyConnection:
    """GDP (reported by B01) in every month to June; FAI (the townships' sum) complete to May, June from one
    town of two."""
    values = [value("B01", "GDP", 2016, m, 20.0 * m) for m in range(1, 7)]
    values += [value(t, "FAI", 2016, m, 10.0 * m) for t in ("T01", "T02") for m in range(1, 7)]
    values += [value("B01", "GDP", 2017, m, 21.0 * m, 9.0 + m / 10) for m in range(1, 7)]
    values += [value(t, "FAI", 2017, m, 11.0 * m) for t in ("T01", "T02") for m in range(1, 6)]
    values += [value("T01", "FAI", 2017, 6, 80.0)]
    return given(
        {
            **REFERENCES,
            "targets.csv": {
                "targets": [target("GDP", "增长9%左右", "growth", 9, 0.5), target("FAI", "120亿元以上", "level", 120)]
            },  # fmt: skip
            "values.csv": {"indicator_values": values},
        }
    )


def test_a_target_stands_on_its_latest_complete_month(targets_zone):
    assert rows(
        targets_zone,
        """select indicator_code, as_of_month, actual_value, actual_yoy_pct, time_progress_pct, completion_pct,
               status, status_label, partial_month, partial_received, partial_owed
           from marts.target_completion order by indicator_code""",
    ) == [
        # FAI: May is its latest complete month (June has 1 of 2 towns): 110 of 120 against 5/12 of the year
        {"indicator_code": "FAI", "as_of_month": 5, "actual_value": 110.0, "actual_yoy_pct": 10.0,
         "time_progress_pct": 41.67, "completion_pct": 91.67, "status": "on_track", "status_label": "序时推进",
         "partial_month": 6, "partial_received": 1, "partial_owed": 2},
        # GDP: June, growth 9.6 % against 9 % less the 0.5 tolerance
        {"indicator_code": "GDP", "as_of_month": 6, "actual_value": 126.0, "actual_yoy_pct": 9.6,
         "time_progress_pct": 50.0, "completion_pct": None, "status": "on_track", "status_label": "序时推进",
         "partial_month": None, "partial_received": None, "partial_owed": None},
    ]  # fmt: skip


def test_a_level_target_below_time_progress_is_behind():
    values = [value(t, "FAI", 2017, 6, 20.0) for t in ("T01", "T02")]  # 40 of 120 at half the year
    con = given(
        {**REFERENCES, "targets.csv": {"targets": [target("FAI", "120亿元", "level", 120)]},
         "values.csv": {"indicator_values": values}}
    )  # fmt: skip
    assert rows(con, "select status, completion_pct, time_progress_pct from marts.target_completion") == [
        {"status": "behind", "completion_pct": 33.33, "time_progress_pct": 50.0}
    ]


# --- marts.submission_status ------------------------------------------------------------------------------


def test_each_unit_s_month_is_complete_late_partial_or_missing():
    june = dt.datetime(2017, 7, 3, 9, tzinfo=ZONE_TIME)  # before the due day, 5 July
    late = dt.datetime(2017, 7, 9, 9, tzinfo=ZONE_TIME)
    con = given(
        {
            **REFERENCES,
            "东镇.csv": {"indicator_values": [value("T01", "FAI", 2017, 6, 5)], "received_at": june},
            "统计局.csv": {"indicator_values": [value("B01", "GDP", 2017, 6, 60)], "received_at": late},
        }
    )
    assert rows(
        con,
        """select unit_code, kind, expected_items, received_items, missing_items, status, status_label
           from marts.submission_status where year = 2017 and month = 6 order by unit_code""",
    ) == [
        {"unit_code": "B01", "kind": "indicator_values", "expected_items": 1, "received_items": 1,
         "missing_items": [], "status": "late", "status_label": "迟报"},
        {"unit_code": "T01", "kind": "indicator_values", "expected_items": 1, "received_items": 1,
         "missing_items": [], "status": "complete", "status_label": "按时报齐"},
        {"unit_code": "T02", "kind": "indicator_values", "expected_items": 1, "received_items": 0,
         "missing_items": ["FAI"], "status": "missing", "status_label": "未报送"},
    ]  # fmt: skip
