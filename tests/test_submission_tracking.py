"""Submission tracking end to end: marts.submission_status, `mubiao status` and `mubiao feedback` on real runs.

The zone below (codes S01–S05, 2021) has one unit of each case for June:
S01 reports everything on time (nothing to fix, so no feedback file), S02
reports late, S03 reports part of what it owes, S04 reports on time but sends
rows that are quarantined (one with two reasons, one whose value is `=1+1`)
and a falling cumulative value (a warning), and S05 never reports. Arrival
times come from a receipt register (收文登记.csv), except S02's late file,
whose modification time says when it came.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from mubiao.cli.main import app
from mubiao.foundation.zone import ZONE_TIME
from tests.conftest import query

FILES = {
    "单位名录.csv": """单位代码,单位名称,单位类型
S01,经济发展局,区直部门
S02,东镇,乡镇街道
S03,西镇,乡镇街道
S04,南镇,乡镇街道
S05,北镇,乡镇街道
""",
    "指标目录.csv": """指标代码,指标名称,计量单位,汇总方式,责任单位,报送频率,填报范围
GDP,生产总值,亿元,reported,S01,季报,
EXP,出口总额,万美元,reported,S01,,
FAI,固定资产投资,亿元,sum,S01,月报,乡镇街道
RET,社会消费品零售总额,亿元,sum,S01,,
GRN,新增造林面积,亩,sum,S01,半年报,S03、S04
""",
    "重点项目.csv": """年度,项目编号,项目名称,项目类别,责任单位,计划总投资,年度计划投资,计量单位,计划开工
2021,P1,西镇物流园,服务业,S03,5,2,亿元,2021-01
2021,P2,西镇污水处理厂,城建,S03,3,1,亿元,2021-03
2021,P3,经发局孵化器,工业,S01,2,1,亿元,
2021,P4,西镇文化中心,社会事业,S03,1,0.5,亿元,2021-08
""",
    "2021年05月_南镇.csv": """单位代码,指标代码,统计期,本期累计值,计量单位
S04,FAI,2021-05,10,亿元
""",
    "2021年06月_经济发展局.csv": """unit_code,indicator_code,period,value,measure
S01,GDP,2021年上半年,80.5,亿元
S01,EXP,2021-06,1200,万美元
""",
    "2021年06月_东镇.csv": """单位代码,指标代码,统计期,本期累计值,计量单位
S02,FAI,2021-06,6,亿元
S02,RET,2021-06,4,亿元
""",
    "2021年06月_西镇.csv": """单位代码,指标代码,统计期,本期累计值,计量单位
S03,FAI,2021-06,7,亿元
""",
    "2021年06月_南镇.csv": """单位代码,指标代码,统计期,本期累计值,计量单位,备注
S04,FAI,2021-06,8,亿元,
S04,RET,2021-06,5,亿元,
S04,GRN,2021-06,30,亩,
S44,RET,2021-06,待核,亿元,@请核实
S04,GDP,2021-06,=1+1,亿元,+86 合计
S04,EXP,2021-06,12,亿元,
""",
    "2021年06月_来源不明.csv": """单位代码,指标代码,统计期,本期累计值,计量单位
S99,FAI,2021-06,3,亿元
""",
    "2021年06月_项目进度.csv": """项目编号,统计期,本年累计完成投资,计量单位,项目状态
P1,2021-06,0.8,亿元,已开工
P3,2021-06,0.5,亿元,已开工
""",
}
REGISTER = {  # file → received, zone time; S02's file is not listed: its mtime says when it came
    "单位名录.csv": "2021-01-04 09:00",
    "指标目录.csv": "2021-01-04 09:10",
    "重点项目.csv": "2021-01-04 09:20",
    "2021年05月_南镇.csv": "2021-06-03 10:00",
    "2021年06月_经济发展局.csv": "2021-07-02 09:30",
    "2021年06月_西镇.csv": "2021-07-03 15:00",
    "2021年06月_南镇.csv": "2021-07-05 17:45",
    "2021年06月_项目进度.csv": "2021-07-04 11:00",
    "2021年06月_来源不明.csv": "2021-07-04 16:00",
}
S02_ARRIVED = dt.datetime(2021, 7, 9, 10, 0, tzinfo=ZONE_TIME)
S04_FILE = "2021年06月_南镇.csv"
SOURCE_COLUMNS = ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "备注"]
FEEDBACK_COLUMNS = ["文件名", "工作表", "行号", "原因", "修改建议"]


def invoke(*args: str, expect: int = 0):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == expect, result.output + repr(result.exception)
    return result


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("tracking") / "inbox"
    inbox.mkdir()
    for name, text in FILES.items():
        (inbox / name).write_text(text, encoding="utf-8")
    (inbox / "收文登记.csv").write_text(
        "文件名,收文时间\n" + "".join(f"{name},{at}\n" for name, at in REGISTER.items()), encoding="utf-8"
    )
    os.utime(inbox / "2021年06月_东镇.csv", (S02_ARRIVED.timestamp(), S02_ARRIVED.timestamp()))
    warehouse = inbox.parent / "wh" / "warehouse.duckdb"
    invoke("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    return warehouse


@pytest.fixture(scope="module")
def feedback(warehouse: Path) -> tuple[Path, str]:
    """`mubiao feedback` for June into its default folder; returns the folder and what the command printed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "200")
        result = invoke("feedback", "--period", "2021年6月", "--warehouse", str(warehouse))
    return warehouse.parent / "feedback" / "2021-06", result.output


def status_rows(warehouse: Path, year: int, month: int) -> dict[tuple[str, str], dict]:
    rows = query(
        warehouse,
        """
        select unit_code, kind, expected_items, received_items, missing_items, missing_names, rows_quarantined,
            status, due_date, timezone('Asia/Shanghai', last_received_at) as last_received
        from marts.submission_status where year = ? and month = ?""",
        year,
        month,
    )
    return {(r.pop("unit_code"), r.pop("kind")): r for r in rows}


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def notes(path: Path) -> dict[str, object]:
    return dict(sheet_rows(path, "说明")[1:])


# ---------------------------------------------------------------- marts.submission_status


def test_each_case_has_its_status_and_counts(warehouse):
    got = status_rows(warehouse, 2021, 6)
    summary = {
        key: (r["expected_items"], r["received_items"], r["missing_items"], r["rows_quarantined"], r["status"])
        for key, r in got.items()
    }
    assert summary == {
        ("S01", "indicator_values"): (2, 2, [], 0, "complete"),
        ("S01", "project_progress"): (1, 1, [], 0, "complete"),
        ("S02", "indicator_values"): (2, 2, [], 0, "late"),
        ("S03", "indicator_values"): (3, 1, ["GRN", "RET"], 0, "partial"),
        ("S03", "project_progress"): (2, 1, ["P2"], 0, "partial"),  # P4 starts in August: not owed yet
        ("S04", "indicator_values"): (3, 3, [], 3, "complete"),
        ("S05", "indicator_values"): (2, 0, ["FAI", "RET"], 0, "missing"),
    }
    assert got[("S03", "indicator_values")]["missing_names"] == ["新增造林面积", "社会消费品零售总额"]
    assert got[("S02", "indicator_values")]["due_date"] == dt.date(2021, 7, 5)
    assert got[("S02", "indicator_values")]["last_received"] == S02_ARRIVED.replace(tzinfo=None)


def test_a_quarterly_indicator_is_not_owed_in_other_months(warehouse):
    may = status_rows(warehouse, 2021, 5)
    assert may[("S01", "indicator_values")]["expected_items"] == 1  # EXP monthly; GDP only in 3, 6, 9, 12
    assert may[("S04", "indicator_values")]["status"] == "partial"  # FAI came, RET did not


# ---------------------------------------------------------------- mubiao status


def test_status_shows_each_case(warehouse, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    output = invoke("status", "--warehouse", str(warehouse)).output  # the latest month: 2021-06
    assert "2021年6月 报送情况（截止 2021-07-05）" in output
    lines = {line.split("│")[1].strip(): line for line in output.splitlines() if line.startswith("│ S0")}
    assert set(lines) == {"S01", "S02", "S03", "S04", "S05"}
    assert lines["S01"].count("按时报齐") == 2
    assert "迟报（截止2021年7月5日，2021年7月9日送达）" in lines["S02"]
    assert "缺报2/3：新增造林面积、社会消费品零售总额" in lines["S03"]
    assert "缺报1/2：西镇污水处理厂" in lines["S03"]
    assert "按时报齐；隔离 3 行" in lines["S04"]
    assert "未报送（应报 2 项）" in lines["S05"]
    assert "按时报齐 3  ·  迟报 1  ·  缺报 2  ·  未报送 1  ·  无法读取 0  ·  隔离 3 行" in output


def test_status_accepts_a_chinese_period(warehouse, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    output = invoke("status", "--period", "2021年5月", "--warehouse", str(warehouse)).output
    assert "2021年5月 报送情况（截止 2021-06-05）" in output


@pytest.mark.parametrize(
    "period, message",
    [
        ("2021-13", "错误：--period 统计期无效：月份13超出1–12"),
        ("下个月", "错误：--period 统计期无法识别"),
        ("2022-01", "错误：2022年1月没有需要跟踪的报送（已跟踪 2021年5月至6月）"),
    ],
)
def test_a_bad_or_untracked_period_is_one_line_and_exit_1(warehouse, period, message):
    for command in ("status", "feedback"):
        output = invoke(command, "--period", period, "--warehouse", str(warehouse), expect=1).output
        assert output.startswith(message)
        assert len(output.strip().splitlines()) == 1


# ---------------------------------------------------------------- mubiao feedback


def test_feedback_defaults_to_the_month_status_shows(warehouse, tmp_path):
    assert "2021年6月 报送情况" in invoke("status", "--warehouse", str(warehouse)).output
    invoke("feedback", "--warehouse", str(warehouse), "--out", str(tmp_path))
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "2021-06_报送情况汇总.xlsx" in written and all(name.startswith("2021-06_") for name in written)


def test_feedback_writes_a_file_per_unit_with_something_to_fix(feedback):
    folder, output = feedback
    assert sorted(p.name for p in folder.iterdir()) == [
        "2021-06_报送情况汇总.xlsx",
        "2021-06_退回修改_S02_东镇.xlsx",
        "2021-06_退回修改_S03_西镇.xlsx",
        "2021-06_退回修改_S04_南镇.xlsx",
        "2021-06_退回修改_S05_北镇.xlsx",
    ]
    assert "S01" not in output
    assert f"已写入 5 个文件：{folder}" in output
    for sheet in ("说明", "退回修改", "疑似问题", "未报送"):
        assert sheet in openpyxl.load_workbook(folder / "2021-06_退回修改_S05_北镇.xlsx").sheetnames


def test_quarantined_rows_go_back_as_sent_with_their_reasons(feedback):
    path = feedback[0] / "2021-06_退回修改_S04_南镇.xlsx"
    rows = sheet_rows(path, "退回修改")
    assert rows[0] == tuple(SOURCE_COLUMNS + FEEDBACK_COLUMNS)
    sent = [row[:6] for row in rows[1:]]
    assert sent == [
        ("S44", "RET", "2021-06", "待核", "亿元", "@请核实"),  # a mistyped unit code goes back to the sender
        ("S04", "GDP", "2021-06", "=1+1", "亿元", "+86 合计"),
        ("S04", "EXP", "2021-06", "12", "亿元", None),
    ]
    where = [row[6:9] for row in rows[1:]]
    assert where == [(S04_FILE, None, 4), (S04_FILE, None, 5), (S04_FILE, None, 6)]
    reasons = [set(row[9].split("；")) for row in rows[1:]]
    assert reasons == [
        {"单位代码未登记：'S44'", "本期累计值：数值无法识别：'待核'"},
        {"本期累计值：数值无法识别：'=1+1'"},
        {"计量单位无法换算：亿元→万美元"},
    ]
    assert [row[10] for row in rows[1:]] == ["单位代码“S44”未能识别；最接近的已登记单位：S04 南镇", None, None]
    cells = openpyxl.load_workbook(path)["退回修改"]
    assert (cells["D3"].value, cells["D3"].data_type) == ("=1+1", "s")  # text, never a formula
    assert (cells["F2"].data_type, cells["F3"].data_type) == ("s", "s")
    assert cells.freeze_panes == "A2"
    assert notes(path)["指标数据"] == "按时报齐；隔离 3 行"
    assert notes(path)["退回修改"] == "3 行：请按“原因”列改正后重新报送"


def test_warnings_go_back_as_questions(feedback):
    rows = sheet_rows(feedback[0] / "2021-06_退回修改_S04_南镇.xlsx", "疑似问题")
    assert rows[0] == ("类别", "文件名", "工作表", "行号", "数据项", "问题")
    assert [row[:5] for row in rows[1:]] == [("指标数据", S04_FILE, None, 1, "固定资产投资 2021年6月")]
    assert "低于2021年5月" in rows[1][5]


def test_missing_items_and_lateness_are_listed(feedback):
    folder = feedback[0]
    partial = folder / "2021-06_退回修改_S03_西镇.xlsx"
    assert sheet_rows(partial, "未报送") == [
        ("类别", "代码", "名称", "截止日期"),
        ("指标数据", "GRN", "新增造林面积", dt.datetime(2021, 7, 5)),
        ("指标数据", "RET", "社会消费品零售总额", dt.datetime(2021, 7, 5)),
        ("项目进度", "P2", "西镇污水处理厂", dt.datetime(2021, 7, 5)),
    ]
    assert sheet_rows(partial, "退回修改") == [tuple(FEEDBACK_COLUMNS)]
    assert notes(partial) == {
        "单位": "S03 西镇",
        "统计期": "2021年6月（1-6月累计）",
        "报送截止日期": dt.datetime(2021, 7, 5),
        "指标数据": "缺报2/3：新增造林面积、社会消费品零售总额",
        "项目进度": "缺报1/2：西镇污水处理厂",
        "退回修改": "无",
        "疑似问题": "无",
        "未报送": "3 项：请尽快补报",
        "行号": "数据行的序号，表头下第一行为 1",
    }
    missing = folder / "2021-06_退回修改_S05_北镇.xlsx"
    assert [row[1] for row in sheet_rows(missing, "未报送")[1:]] == ["FAI", "RET"]
    assert notes(missing)["指标数据"] == "未报送（应报 2 项）"
    late = folder / "2021-06_退回修改_S02_东镇.xlsx"
    assert notes(late)["指标数据"] == "迟报（截止2021年7月5日，2021年7月9日送达）"
    assert len(sheet_rows(late, "未报送")) == 1


def test_the_overview_has_every_unit_and_kind(feedback):
    rows = sheet_rows(feedback[0] / "2021-06_报送情况汇总.xlsx", "报送情况")
    header = rows[0]
    got = {(r["单位代码"], r["类别"]): r for r in (dict(zip(header, row, strict=True)) for row in rows[1:])}
    assert {
        key: (r["状态"], r["应报项数"], r["已报项数"], r["缺报项数"], r["隔离行数"], r["疑似问题条数"])
        for key, r in got.items()
    } == {
        ("S01", "指标数据"): ("按时报齐", 2, 2, 0, 0, 0),
        ("S01", "项目进度"): ("按时报齐", 1, 1, 0, 0, 0),
        ("S02", "指标数据"): ("迟报", 2, 2, 0, 0, 0),
        ("S03", "指标数据"): ("缺报", 3, 1, 2, 0, 0),
        ("S03", "项目进度"): ("缺报", 2, 1, 1, 0, 0),
        ("S04", "指标数据"): ("按时报齐", 3, 3, 0, 3, 1),
        ("S05", "指标数据"): ("未报送", 2, 0, 2, 0, 0),
    }
    assert got[("S02", "指标数据")]["最后送达"] == S02_ARRIVED.replace(tzinfo=None)
    assert got[("S02", "指标数据")]["截止日期"] == dt.datetime(2021, 7, 5)
    assert got[("S05", "指标数据")]["首次送达"] is None
    assert got[("S04", "指标数据")]["退回修改表"] == "2021-06_退回修改_S04_南镇.xlsx"
    assert got[("S01", "指标数据")]["退回修改表"] is None


def test_rows_no_unit_can_be_named_for_stay_with_the_office(feedback):
    path = feedback[0] / "2021-06_报送情况汇总.xlsx"
    assert sheet_rows(path, "无法归属") == [
        ("单位代码", "指标代码", "统计期", "本期累计值", "计量单位", *FEEDBACK_COLUMNS),
        (
            "S99",
            "FAI",
            "2021-06",
            "3",
            "亿元",
            "2021年06月_来源不明.csv",
            None,
            1,
            "单位代码未登记：'S99'",
            "单位代码“S99”未能识别；没有相近的已登记单位，请核对单位名录",
        ),
    ]
    assert notes(path)["无法归属的退回行"] == "1 行：文件中没有已登记的单位，见“无法归属”表"
    assert "无法归属的退回 1 行" in feedback[1]


def test_feedback_again_drops_the_files_of_a_month_that_no_longer_apply(warehouse, feedback, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "2021-06_退回修改_S01_经济发展局.xlsx").write_bytes(b"stale")
    (out / "其他.xlsx").write_bytes(b"kept")
    invoke("feedback", "--period", "2021-06", "--out", str(out), "--warehouse", str(warehouse))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([p.name for p in feedback[0].iterdir()] + ["其他.xlsx"])


# ---------------------------------------------------------------- the bundled default data


@pytest.fixture(scope="module")
def default_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("default") / "warehouse.duckdb"
    invoke("run", "--warehouse", str(warehouse))
    return warehouse


def test_the_default_data_shows_every_status(default_warehouse):
    rows = query(default_warehouse, "select status, count(*) as n from marts.submission_status group by status")
    assert {r["status"] for r in rows} == {"complete", "late", "partial", "missing"}


def test_the_default_data_feedback_for_june(default_warehouse):
    output = invoke("feedback", "--period", "2017-06", "--warehouse", str(default_warehouse)).output
    folder = default_warehouse.parent / "feedback" / "2017-06"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2017-06_报送情况汇总.xlsx",
        "2017-06_退回修改_BM04_商务局.xlsx",
        "2017-06_退回修改_BM08_环保局.xlsx",
        "2017-06_退回修改_XZ02_苏家作乡.xlsx",
        "2017-06_退回修改_XZ04_阳庙镇.xlsx",
    ]
    assert "已写入 5 个文件" in output
    assert notes(folder / "2017-06_退回修改_BM04_商务局.xlsx")["指标数据"].startswith("迟报（截止2017年7月5日")
    assert sheet_rows(folder / "2017-06_退回修改_BM08_环保局.xlsx", "未报送")[1][1:3] == ("ENERGY", "节能减排")
    xz02 = sheet_rows(folder / "2017-06_退回修改_XZ02_苏家作乡.xlsx", "退回修改")
    assert xz02[1][0] == "2017ZD003" and "超过计划总投资" in xz02[1][-2]
    xz04 = sheet_rows(folder / "2017-06_退回修改_XZ04_阳庙镇.xlsx", "退回修改")
    assert xz04[0][:2] == ("填报单位", "指标名称")
    assert xz04[1][-2:] == ("统计期无效：月份13超出1–12", None)


def test_a_month_with_only_rejected_rows_is_not_tracked(run, tmp_path):
    """Rejected rows alone do not make a month owed: the quarantine keeps them, the status does not list them."""
    inbox = tmp_path / "only-bad"
    inbox.mkdir()
    (inbox / "units.csv").write_text("单位代码,单位名称,单位类型\nU1,统计局,区直部门\n", encoding="utf-8")
    (inbox / "catalogue.csv").write_text(
        "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n", encoding="utf-8"
    )
    (inbox / "march.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位\nU1,GDP,2017-03,3,亿元\n", encoding="utf-8"
    )
    (inbox / "october.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位\nU1,GDP,2017-10,待核,亿元\n", encoding="utf-8"
    )
    warehouse = run(inbox)
    assert query(warehouse, "select month from marts.submission_status") == [{"month": 3}]
    assert query(warehouse, "select month from audit.quarantine") == [{"month": 10}]
