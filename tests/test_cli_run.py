"""`mubiao run` on the bundled default zone: the seed's figures, and reruns that change nothing."""

from __future__ import annotations

import gc
import shutil
import sys
from pathlib import Path

import pytest

from mubiao.cli.config import default_inbox
from tests.conftest import query

MARTS_AND_AUDIT = (
    "marts.annual_review",
    "marts.target_completion",
    "marts.project_investment_by_category",
    "marts.project_investment_by_unit",
    "marts.unit_scorecard",
    "audit.warnings",
    "audit.quarantine",
    "audit.files",
)

SEED_2016 = {  # indicator_code: (value, measure, yoy_pct), as the seed prints them
    "GDP": (124.3, "亿元", 9.9),
    "IND_VA": (83.9, "亿元", 9.1),
    "TER_VA": (36.3, "亿元", 13.1),
    "FAI": (163, "亿元", 18.1),
    "RETAIL": (47.2, "亿元", 12.8),
    "TRADE": (3990, "万美元", 7.4),
    "FDI": (8913, "万美元", 5.25),
    "REVENUE": (10.2, "亿元", 8.2),
    "URBAN_JOBS": (4517, "人", None),
    "AFFOREST": (3200, "亩", None),
    "GRAIN": (19.25, "万吨", None),
    "IND_FIRMS": (95, "家", None),
    "IND_SALES": (446.2, "亿元", 6.3),
    "HITECH_VA": (56.6, "亿元", 10.8),
    "RURAL_LABOR": (1168, "人", None),
    "NEW_ROAD": (12, "公里", None),
    "NEW_GREEN": (23.4, "万平方米", None),
    "WELFARE_EXP": (8, "亿元", None),
}

SEED_2017_PLAN = {  # category: (projects, total investment 亿元, annual plan 亿元)
    "工业": (35, 81.5, 26),
    "服务业": (9, 54.4, 12.7),
    "城建": (31, 53.5, 16.5),
    "社会事业": (15, 27, 6.3),
    "农林水": (5, 4, 1.2),
    "前期": (10, 53, None),
}

SEED_2017_TARGETS = {  # indicator_code: (target_text, type, value, status as of September)
    "GDP": ("增长9%左右", "growth", 9, "on_track"),
    "IND_VA": ("增长9%", "growth", 9, "behind"),
    "TER_VA": ("增长10%", "growth", 10, "on_track"),
    "REVENUE": ("增长8.5%左右", "growth", 8.5, "behind"),
    "RETAIL": ("增长12.5%", "growth", 12.5, "on_track"),
    "FAI": ("增长16.5%", "growth", 16.5, "on_track"),
    "TRADE": ("保持稳定", "stable", 0, "behind"),
    "INCOME": ("与经济增长同步", "sync", None, "on_track"),
    "URBAN_JOBS": ("3200人以上", "level", 3200, "behind"),
    "ENERGY": ("完成省、市下达任务", "assigned", None, "pending"),
}


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    warehouse = tmp_path_factory.mktemp("default") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "89 / 0 / 0" in result.output
    return warehouse


def snapshot(warehouse: Path) -> dict[str, list[dict]]:
    return {table: query(warehouse, f"select * from {table} order by all") for table in MARTS_AND_AUDIT}


def test_annual_review_2016_prints_the_seed_figures(default_run):
    rows = {r["indicator_code"]: r for r in query(default_run, "select * from marts.annual_review where year = 2016")}
    for code, (value, measure, yoy) in SEED_2016.items():
        assert (rows[code]["value"], rows[code]["measure"], rows[code]["yoy_pct"]) == (value, measure, yoy), code


def test_project_plan_2017_has_the_seed_counts_and_sums(default_run):
    rows = query(
        default_run, "select * from marts.project_investment_by_category where year = 2017 and as_of_month = 0"
    )
    found = {r["category"]: (r["project_count"], r["total_investment"], r["annual_plan"]) for r in rows}
    assert found == SEED_2017_PLAN
    assert sum(r["project_count"] for r in rows) == 105
    assert sum(r["total_investment"] for r in rows) == pytest.approx(273.4)
    assert sum(r["annual_plan"] or 0 for r in rows) == pytest.approx(62.7)
    assert {r["completed_ytd"] for r in rows} == {0}


def test_target_completion_2017_has_every_seed_target_as_of_september(default_run):
    rows = query(default_run, "select * from marts.target_completion where year = 2017")
    found = {r["indicator_code"]: (r["target_text"], r["target_type"], r["target_value"], r["status"]) for r in rows}
    assert found == SEED_2017_TARGETS
    assert {r["as_of_month"] for r in rows} == {9}
    assert {r["time_progress_pct"] for r in rows} == {75.0}


def test_every_file_accounts_for_every_row(default_run):
    files = query(default_run, "select * from audit.files")
    assert len(files) == 89
    assert {f["status"] for f in files} == {"loaded"}
    for f in files:
        assert f["rows_total"] == f["rows_loaded"] + f["rows_quarantined"], f["file_name"]
    assert sum(f["rows_quarantined"] for f in files) == 8
    (raw_rows,) = query(
        default_run,
        """
        select sum(n) as n from (
            select count(*) as n from raw.indicator_values union all select count(*) from raw.project_progress
            union all select count(*) from raw.units union all select count(*) from raw.indicators
            union all select count(*) from raw.targets union all select count(*) from raw.projects)""",
    )
    assert raw_rows["n"] == sum(f["rows_total"] for f in files)


def test_the_default_bad_rows_are_quarantined_with_their_reasons(default_run):
    rows = query(
        default_run,
        """
        select f.file_name, q.row_number, q.reasons from audit.quarantine q join audit.files f using (sha256)
        order by f.file_name, q.row_number""",
    )
    found = [(r["file_name"], r["row_number"]) for r in rows]
    assert found == [
        ("2017年02月_财政局_财政收支.csv", 2),
        ("2017年04月_商务局_商贸外经.csv", 3),
        ("2017年05月_统计局_主要指标.csv", 4),
        ("2017年05月_统计局_主要指标.csv", 5),
        ("2017年05月_财政局_财政收支.csv", 3),
        ("2017年06月_苏家作乡_月报.xlsx", 1),
        ("2017年06月_阳庙镇_月报.csv", 5),
        ("2017年07月_商务局_商贸外经.csv", 1),
    ]
    reasons = [r["reasons"] for r in rows]
    for phrase, reason in zip(
        [
            "不能为负",
            "数值无法识别",
            "重复",
            "重复",
            "单位代码未登记：'BM13'",
            "超过计划总投资",
            "月份13",
            "万美元→亿元",
        ],
        reasons,
        strict=True,
    ):
        assert phrase in reason


def test_the_correction_wins_and_the_first_version_is_kept(default_run):
    versions = query(
        default_run,
        """
        select value, file_name, is_latest from core.indicator_values
        where unit_code = 'BM01' and indicator_code = 'GDP' and year = 2017 and month = 3 order by seq""",
    )
    assert [(v["value"], v["is_latest"]) for v in versions] == [(13.19, False), (31.19, True)]
    assert versions[1]["file_name"].endswith("_更正.csv")
    (zone,) = query(
        default_run,
        "select value from core.zone_indicator_values where indicator_code = 'GDP' and year = 2017 and month = 3",
    )
    assert zone["value"] == 31.19


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A private copy of the default zone's inbox, to add files to."""
    return Path(shutil.copytree(default_inbox(), tmp_path / "inbox"))


def test_a_second_run_loads_nothing_and_changes_nothing(inbox, run, mubiao):
    warehouse = run(inbox)
    before = snapshot(warehouse)
    result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "0 / 0 / 0" in result.output
    assert snapshot(warehouse) == before


def test_the_same_content_under_another_name_is_a_duplicate(inbox, run):
    warehouse = run(inbox)
    before = snapshot(warehouse)
    shutil.copy(inbox / "2017年09月_统计局_主要指标.csv", inbox / "统计局_重发.csv")
    run(inbox)
    after = snapshot(warehouse)
    (copy,) = [f for f in after["audit.files"] if f["file_name"] == "统计局_重发.csv"]
    assert (copy["status"], copy["kind"], copy["rows_total"], copy["rows_loaded"]) == (
        "duplicate",
        "indicator_values",
        0,
        0,
    )
    assert {k: v for k, v in after.items() if k != "audit.files"} == {
        k: v for k, v in before.items() if k != "audit.files"
    }


def test_an_unreadable_file_is_recorded_and_the_run_goes_on(inbox, run, mubiao):
    (inbox / "乱码.csv").write_bytes(b"\x00\x01\x02binary\xff\xfe")
    warehouse = run(inbox)
    (bad,) = query(warehouse, "select * from audit.files where file_name = '乱码.csv'")
    assert (bad["status"], bad["rows_total"], bad["kind"]) == ("unreadable", 0, None)
    assert bad["error"] == "不是文本文件（含二进制内容）"
    assert len(query(warehouse, "select * from audit.files where status = 'loaded'")) == 89


def test_a_new_file_after_a_run_is_the_only_one_taken_in(inbox, run, mubiao):
    warehouse = run(inbox)
    (inbox / "2017年10月_财政局_财政收支.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\nBM03,REVENUE,2017年1-10月,90000,万元,8.6\n",
        encoding="utf-8",
    )
    result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "1 / 0 / 0" in result.output
    (revenue,) = query(warehouse, "select * from marts.target_completion where indicator_code = 'REVENUE'")
    assert (revenue["as_of_month"], revenue["actual_value"], revenue["status"]) == (10, 9.0, "on_track")


def test_sql_prints_the_marts_in_each_format(default_run, mubiao):
    table = mubiao(
        "sql",
        "select indicator_name, value from marts.annual_review where indicator_code = 'GDP'",
        "--warehouse",
        str(default_run),
    )
    assert "生产总值" in table.output and "124.3" in table.output
    csv_out = mubiao(
        "sql",
        "select indicator_code, value from marts.annual_review where year = 2016 and indicator_code = 'GDP'",
        "--warehouse",
        str(default_run),
        "--format",
        "csv",
    )
    assert csv_out.output.splitlines() == ["\ufeffindicator_code,value", "GDP,124.3"], "UTF-8 with a BOM, for Excel"
    json_out = mubiao(
        "sql",
        "select value from marts.annual_review where indicator_code = 'FDI'",
        "--warehouse",
        str(default_run),
        "--format",
        "json",
    )
    assert '"value": 8913.0' in json_out.output


def test_sql_errors_are_one_line(default_run, mubiao, tmp_path):
    bad = mubiao("sql", "select * from nowhere", "--warehouse", str(default_run), expect=1)
    assert bad.output.strip().startswith("错误：查询失败") and "Traceback" not in bad.output
    missing = mubiao("sql", "select 1", "--warehouse", str(tmp_path / "none.duckdb"), expect=1)
    assert "仓库文件不存在" in missing.output
    no_inbox = mubiao("run", "--inbox", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb"), expect=1)
    assert "收件箱不存在" in no_inbox.output


def test_the_command_leaves_with_its_exit_code_and_its_heap_frozen(default_run, monkeypatch, capsys):
    from importlib.metadata import entry_points

    from mubiao.cli.main import main
    from mubiao.foundation import runtime

    (script,) = entry_points(group="console_scripts", name="mubiao")
    assert script.value == "mubiao.cli.main:main"
    monkeypatch.setattr(runtime._Freezes, "lasting", False)  # the exit's lasting freeze, undone for the next tests
    monkeypatch.setattr(sys, "argv", ["mubiao", "sql", "select * from nowhere", "--warehouse", str(default_run)])
    try:
        with pytest.raises(SystemExit) as leaving:
            main()
        assert leaving.value.code == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "查询失败" in capsys.readouterr().err
