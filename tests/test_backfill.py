"""Backfills restate months from the landing store; known-at views show what the office knew on a date."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import query

UNITS = "单位代码,单位名称,单位类型\nU1,统计局,区直部门\nU2,一号镇,乡镇街道\n"
CATALOGUE = "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n"
CATALOGUE_CORRECTED = CATALOGUE + "JOBS,城镇新增就业,人,sum,U1\n"
REGISTER = "年度,项目编号,项目名称,项目类别,责任单位,计划总投资,年度计划投资,计量单位\n2017,P1,一号项目,工业,U2,{total},2,亿元\n"


def values(month: int) -> str:
    return (
        "单位代码,指标代码,统计期,本期累计值,计量单位\n"
        f"U1,GDP,2017-{month:02d},{10 * month},亿元\nU2,JOBS,2017-{month:02d},{100 * month},人\n"
    )


def progress(month: int) -> str:
    return f"项目编号,统计期,本年累计完成投资,计量单位,项目状态\nP1,2017-{month:02d},{month},亿元,已开工\n"


def write(inbox: Path, files: dict[str, str]) -> None:
    inbox.mkdir(exist_ok=True)
    for name, text in files.items():
        (inbox / name).write_text(text, encoding="utf-8")


@pytest.fixture
def zone(mubiao, tmp_path: Path):
    """Three months in which JOBS is not yet in the catalogue and P1's total is too small for June."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh" / "warehouse.duckdb"
    files = {"units.csv": UNITS, "catalogue.csv": CATALOGUE, "register.csv": REGISTER.format(total=5)}
    for month in (4, 5, 6):
        files[f"values-{month}.csv"] = values(month)
        files[f"progress-{month}.csv"] = progress(month)
    write(inbox, files)
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    return inbox, warehouse


def quarantined(warehouse: Path) -> list[tuple[str, int]]:
    return [
        (r["kind"], r["month"])
        for r in query(warehouse, "select kind, month from audit.quarantine order by kind, month")
    ]


def marts(warehouse: Path) -> dict[str, list[dict]]:
    return {
        table: query(warehouse, f"select * from {table} order by all")
        for table in (
            "core.zone_indicator_values",
            "marts.project_investment_by_category",
            "marts.submission_status",
            "audit.quarantine",
        )
    }


def test_a_backfill_after_a_catalogue_and_register_correction_restates_only_its_months(mubiao, zone) -> None:
    inbox, warehouse = zone
    assert quarantined(warehouse) == [
        ("indicator_values", 4),
        ("indicator_values", 5),
        ("indicator_values", 6),
        ("project_progress", 6),
    ]
    write(inbox, {"catalogue-corrected.csv": CATALOGUE_CORRECTED, "register-corrected.csv": REGISTER.format(total=8)})
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert len(quarantined(warehouse)) == 4, "a correction alone does not reach back"
    before = marts(warehouse)

    result = mubiao("backfill", "--from", "2017-05", "--to", "2017年6月", "--warehouse", str(warehouse))
    assert "已重算 2 个月" in result.output
    assert quarantined(warehouse) == [("indicator_values", 4)], "May and June restated, April left alone"
    jobs = query(
        warehouse, "select month, value from core.zone_indicator_values where indicator_code = 'JOBS' order by month"
    )
    assert jobs == [{"month": 5, "value": 500.0}, {"month": 6, "value": 600.0}]
    after = marts(warehouse)
    april = lambda rows: [r for r in rows if r.get("month", r.get("as_of_month")) == 4]  # noqa: E731
    for table in ("core.zone_indicator_values", "marts.project_investment_by_category", "marts.submission_status"):
        assert april(after[table]) == april(before[table]), table
    june = query(warehouse, "select completed_ytd from marts.project_investment_by_category where as_of_month = 6")
    assert june == [{"completed_ytd": 6.0}], "the June progress row passes against the corrected total"
    files = query(
        warehouse,
        "select file_name, rows_total, rows_loaded, rows_quarantined from audit.files "
        "where file_name in ('values-5.csv', 'progress-6.csv') order by file_name",
    )
    assert files == [
        {"file_name": "progress-6.csv", "rows_total": 1, "rows_loaded": 1, "rows_quarantined": 0},
        {"file_name": "values-5.csv", "rows_total": 2, "rows_loaded": 2, "rows_quarantined": 0},
    ]

    mubiao("backfill", "--from", "2017-04", "--to", "2017-06", "--warehouse", str(warehouse))
    once = marts(warehouse)
    mubiao("backfill", "--from", "2017-04", "--to", "2017-06", "--warehouse", str(warehouse))
    assert marts(warehouse) == once, "a backfill run twice gives the same marts"
    assert quarantined(warehouse) == []


def test_a_landed_copy_that_no_longer_reads_is_recorded_and_keeps_its_rows(mubiao, zone) -> None:
    from mubiao.pipelines.intake.landing import landed_path, landing_store

    _, warehouse = zone
    [file] = query(warehouse, "select sha256 from audit.files where file_name = 'values-5.csv'")
    landed_path(landing_store(warehouse), file["sha256"]).write_text("这不是报表\n", encoding="utf-8")
    may = "select * from staging.indicator_values where month = 5 order by all"
    kept = query(warehouse, may)
    assert kept, "the zone has May values to keep"

    result = mubiao("backfill", "--from", "2017-05", "--to", "2017-06", "--warehouse", str(warehouse))
    assert "已重算 2 个月、3 个文件" in result.output
    assert "1 个文件无法读取，其行保持原样" in result.output.replace("\n", "")
    assert query(warehouse, may) == kept
    columns = "month, file_name, status, rows_loaded, rows_quarantined, error"
    restated = [tuple(r.values()) for r in query(warehouse, f"select {columns} from audit.restated order by all")]
    error = restated[1][-1]
    assert error and "\n" not in error
    assert restated == [
        (5, "progress-5.csv", "restated", 1, 0, None),
        (5, "values-5.csv", "unreadable", 0, 0, error),
        (6, "progress-6.csv", "restated", 0, 1, None),
        (6, "values-6.csv", "restated", 1, 1, None),
    ], "every file the backfill read is recorded, the unreadable one with its reason"


def test_a_range_with_months_no_file_carried_restates_the_others(mubiao, zone) -> None:
    _, warehouse = zone
    before = marts(warehouse)
    result = mubiao("backfill", "--from", "2017-03", "--to", "2017-04", "--warehouse", str(warehouse))
    assert "已重算 2 个月" in result.output
    assert marts(warehouse) == before
    months = query(warehouse, "select distinct month from audit.restated order by month")
    assert months == [{"month": 4}], "March had no file to record"


def test_a_bad_range_or_a_missing_warehouse_is_one_line(mubiao, tmp_path: Path) -> None:
    for start, end, message in (("2017-13", "2017-09", "月份13"), ("2017-09", "2017-01", "晚于")):
        result = mubiao("backfill", "--from", start, "--to", end, "--warehouse", str(tmp_path / "w.duckdb"), expect=1)
        assert message in result.output and len(result.output.strip().splitlines()) == 1
    result = mubiao(
        "backfill", "--from", "2017-01", "--to", "2017-02", "--warehouse", str(tmp_path / "w.duckdb"), expect=1
    )
    assert "仓库文件不存在" in result.output


def test_known_at_shows_a_correction_only_once_it_was_received(mubiao, tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh" / "warehouse.duckdb"
    write(
        inbox,
        {
            "units.csv": UNITS,
            "catalogue.csv": CATALOGUE,
            "targets.csv": "年度,指标代码,目标\n2017,GDP,增长9%\n",
            "march.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\nU1,GDP,2017-03,13.19,亿元\n",
            "march-corrected.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\nU1,GDP,2017-03,31.19,亿元\n",
            "收文登记.csv": "文件名,收文时间\nunits.csv,2017-01-03 09:00\ncatalogue.csv,2017-01-03 09:10\ntargets.csv,2017-01-03 09:20\n"
            "march.csv,2017-04-03 09:00\nmarch-corrected.csv,2017-04-07 10:00\n",
        },
    )
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    published = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    gdp = "select value from core.indicator_values where is_latest and indicator_code = 'GDP'"

    for known_at, name, value in (
        ("2017-04-06", "2017-04-06", 13.19),
        ("2017-04-07 09:59", "2017-04-07T0959", 13.19),
        ("2017-04-07", "2017-04-07", 31.19),
    ):
        result = mubiao("run", "--known-at", known_at, "--warehouse", str(warehouse))
        view = warehouse.parent / "known-at" / name / "warehouse.duckdb"
        assert str(view) in result.output.replace("\n", "")
        assert query(view, gdp) == [{"value": value}], known_at
        assert (view.parent / "report" / "2017" / "report.html").is_file(), "its own meeting pack"
    assert query(warehouse, gdp) == [{"value": 31.19}]
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == published, "the current marts are untouched"
    assert "时间无法识别" in mubiao("run", "--known-at", "上周", "--warehouse", str(warehouse), expect=1).output


def test_a_bad_range_from_the_ui_fails_the_run_with_one_line_and_no_traceback(tmp_path: Path, caplog) -> None:
    from prefect.utilities.callables import parameter_schema

    from mubiao.flows.backfill import mubiao_backfill

    state = mubiao_backfill(warehouse=tmp_path / "warehouse.duckdb", start="2017-13", end="2017-09", return_state=True)
    assert state.is_failed() and state.message.startswith("补算区间无效：") and "\n" not in state.message
    assert "Traceback" not in caplog.text
    form = parameter_schema(mubiao_backfill.fn).model_dump()["properties"]
    assert form["start"]["examples"] == ["2017-01", "2017年9月"] and "2017年一季度" in form["start"]["description"]
