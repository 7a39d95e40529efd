"""Every rejection reason and warning of docs/submissions.md §2.10, asserted through the audit tables after a
real run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query

REFERENCE_FILES = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\nU2,一号镇,乡镇街道\n",
    "indicators.csv": (
        "指标代码,指标名称,计量单位,汇总方式,责任单位,报送频率,填报范围\n"
        "GDP,生产总值,亿元,reported,U1,,\nJOBS,城镇新增就业,人,sum,U1,月报,乡镇\nRATE,城镇化率,%,reported,U1,季报,\n"
        "BAD,坏指标,亿元,reported,U1,每两月,乡镇、U7\n"
    ),
    "projects.csv": (
        "年度,项目编号,项目名称,项目类别,责任单位,计划总投资,年度计划投资,计量单位\n"
        "2017,P1,一号项目,工业,U2,5000,2000,万元\n"
    ),
}

VALUES = """单位代码,指标代码,统计期,本期累计值,计量单位,同比增长
U1,GDP,2016年1-2月,10,亿元,
U1,GDP,2017年1-2月,20,亿元,9.0
U1,GDP,2017年1-3月,15,亿元,8.0
U9,GDP,2017-04,30,亿元,9
U1,NOPE,2017-04,30,亿元,9
U1,GDP,2017-05,待核,亿元,9
U1,GDP,2017-06,30,万美元,9
U1,GDP,2017年13月,30,亿元,9
U1,GDP,1999-06,30,亿元,9
U1,GDP,2017-07,-5,亿元,9
U1,RATE,2017-07,-0.5,%,
U2,JOBS,2017-08,100,人,
U2,JOBS,2017-08,110,人,
U1,GDP,2017-09,abc,万美元,x
"""

PROGRESS = """项目编号,统计期,本年累计完成投资,计量单位,项目状态
P1,2017-03,1200,万元,已开工
P1,2017-04,1000,万元,已开工
P1,2017-05,6000,万元,已开工
PX,2017-05,10,万元,已开工
P1,2017-06,-1,万元,已开工
P1,2017-07,0.1,亿元,停工
"""

BY_NAME = """单位代码,单位名称,指标名称,统计期,本期累计值,计量单位
,统计局,生产总值,2017-10,40,亿元
,统计司,生产总值,2017-11,45,亿元
U8,,生产总值,2017-11,45,亿元
"""

QUANTITIES = """单位代码,指标代码,统计期,本期累计值,计量单位
U2,JOBS,2017-10,1.2万,人
U1,GDP,2017-11,124.3亿,元
U1,GDP,2017-12,12.3万,万元
U2,JOBS,2017-09,"1,234.5",人
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    inbox = tmp_path_factory.mktemp("inbox")
    for name, text in REFERENCE_FILES.items():
        (inbox / name).write_text(text, encoding="utf-8")
    (inbox / "values.csv").write_text(VALUES, encoding="utf-8")
    (inbox / "progress.csv").write_text(PROGRESS, encoding="utf-8")
    many = "单位代码,指标代码,统计期,本期累计值,计量单位\n" + "".join(
        f"Z{i:03d},GDP,2017-0{1 + i % 9},{i},亿元\n" for i in range(250)
    )
    (inbox / "many_unknown_units.csv").write_text(many, encoding="utf-8")
    (inbox / "no_kind.csv").write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    (inbox / "by_name.csv").write_text(BY_NAME, encoding="utf-8")
    (inbox / "quantities.csv").write_text(QUANTITIES, encoding="utf-8")
    warehouse = inbox.parent / "wh" / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


def reasons_by_row(warehouse: Path, file_name: str) -> dict[int, str]:
    rows = query(
        warehouse,
        """
        select q.row_number, q.reasons from audit.quarantine q join audit.files f using (sha256)
        where f.file_name = ?""",
        file_name,
    )
    return {r["row_number"]: r["reasons"] for r in rows}


@pytest.mark.parametrize(
    "row, phrases",
    [
        (4, ["单位代码未登记：'U9'"]),
        (5, ["指标未登记：'NOPE'"]),
        (6, ["数值无法识别：'待核'"]),
        (7, ["计量单位无法换算：万美元→亿元"]),
        (8, ["统计期无效：月份13"]),
        (9, ["统计期无效：年份1999"]),
        (10, ["本期累计值不能为负"]),
        (12, ["同一文件中重复填报"]),
        (13, ["同一文件中重复填报"]),
        (14, ["数值无法识别：'abc'", "同比增长：数值无法识别：'x'", "计量单位无法换算：万美元→亿元"]),
    ],
)
def test_each_bad_value_row_is_quarantined_with_every_reason(warehouse, row, phrases):
    reasons = reasons_by_row(warehouse, "values.csv")[row]
    for phrase in phrases:
        assert phrase in reasons


def test_an_unknown_unit_is_named_as_it_was_given(warehouse):
    assert reasons_by_row(warehouse, "by_name.csv") == {2: "单位名称未登记：'统计司'", 3: "单位代码未登记：'U8'"}


def test_wan_and_yi_count_in_the_measure_sent(warehouse):
    loaded = query(
        warehouse,
        """select indicator_code, month, value, measure, value_sent, measure_sent from core.indicator_values
        where sha256 = (select sha256 from audit.files where file_name = 'quantities.csv') order by month""",
    )
    assert loaded == [
        {
            "indicator_code": "JOBS",
            "month": 9,
            "value": 1234.5,
            "measure": "人",
            "value_sent": 1234.5,
            "measure_sent": "人",
        },
        {
            "indicator_code": "JOBS",
            "month": 10,
            "value": 12000,
            "measure": "人",
            "value_sent": 12000,
            "measure_sent": "人",
        },
        {
            "indicator_code": "GDP",
            "month": 11,
            "value": 124.3,
            "measure": "亿元",
            "value_sent": 1.243e10,
            "measure_sent": "元",
        },
    ]
    assert reasons_by_row(warehouse, "quantities.csv") == {
        3: "本期累计值：'12.3万'带“万”，计量单位万元又带“万”，无法确定数值（只填数字，或把计量单位改为元）"
    }


def test_good_rows_load_and_growth_rates_may_be_negative(warehouse):
    assert sorted(reasons_by_row(warehouse, "values.csv")) == [4, 5, 6, 7, 8, 9, 10, 12, 13, 14]
    (rate,) = query(warehouse, "select value from core.indicator_values where indicator_code = 'RATE'")
    assert rate["value"] == -0.5


def test_each_bad_progress_row_is_quarantined(warehouse):
    reasons = reasons_by_row(warehouse, "progress.csv")
    assert sorted(reasons) == [3, 4, 5, 6]
    assert "超过计划总投资" in reasons[3]
    assert "项目未登记：'PX'" in reasons[4]
    assert "不能为负" in reasons[5]
    assert "项目状态无法识别：'停工'" in reasons[6]


def test_more_than_two_hundred_bad_rows_are_all_quarantined(warehouse):
    (f,) = query(warehouse, "select * from audit.files where file_name = 'many_unknown_units.csv'")
    assert (f["rows_total"], f["rows_loaded"], f["rows_quarantined"]) == (250, 0, 250)
    assert len(reasons_by_row(warehouse, "many_unknown_units.csv")) == 250


def test_a_file_whose_header_matches_no_kind_is_recorded_with_its_error(warehouse):
    (f,) = query(warehouse, "select * from audit.files where file_name = 'no_kind.csv'")
    assert (f["status"], f["kind"], f["rows_total"]) == ("unreadable", None, 0)
    assert f["error"].startswith("表头不符合任何报送类型")


def test_rows_total_is_rows_loaded_plus_rows_quarantined_for_every_file(warehouse):
    for f in query(warehouse, "select * from audit.files where status = 'loaded'"):
        assert f["rows_total"] == f["rows_loaded"] + f["rows_quarantined"], f["file_name"]
    (total,) = query(warehouse, "select count(*) as n from audit.quarantine")
    assert total["n"] == 10 + 4 + 250 + 1 + 2 + 1


def test_a_catalogue_row_with_an_unknown_frequency_or_reporter_is_quarantined(warehouse):
    reasons = reasons_by_row(warehouse, "indicators.csv")
    assert list(reasons) == [4]
    assert "报送频率无法识别：'每两月'" in reasons[4]
    assert "填报范围含未登记的单位或类型：'U7'" in reasons[4]
    catalogue = query(
        warehouse,
        """
        select indicator_code, reporting_months, reporting_units from core.indicators order by indicator_code""",
    )
    assert catalogue == [
        {"indicator_code": "GDP", "reporting_months": None, "reporting_units": None},
        {"indicator_code": "JOBS", "reporting_months": ",".join(map(str, range(1, 13))), "reporting_units": "乡镇街道"},
        {"indicator_code": "RATE", "reporting_months": "3,6,9,12", "reporting_units": None},
    ]


def test_validations_record_each_expectation_for_each_file_without_a_cap(warehouse):
    from mubiao.expectations import load_suite

    per_file = query(
        warehouse,
        """
        select f.file_name, v.kind, count(*) as expectations, count(*) filter (where not v.success) as failed
        from audit.validations v join audit.files f using (sha256) group by all order by f.file_name""",
    )
    for row in per_file:
        assert row["expectations"] == len(load_suite(row["kind"])["expectations"]), row
    assert {r["file_name"]: r["failed"] for r in per_file}["units.csv"] == 0
    counts = query(
        warehouse,
        """
        select f.file_name, v.unexpected_count from audit.validations v join audit.files f using (sha256)
        where v.expectation = 'expect_column_values_to_be_in_set' and v.column_name = 'unit_code'
        order by f.file_name""",
    )
    assert {r["file_name"]: r["unexpected_count"] for r in counts} == {
        "by_name.csv": 2,
        "many_unknown_units.csv": 250,
        "quantities.csv": 0,
        "values.csv": 1,
    }


def test_data_docs_are_static_html_beside_the_warehouse(warehouse, mubiao):
    from mubiao.pipelines.loading.validate import data_docs_index

    index = data_docs_index(warehouse.parent)
    assert index.is_file()
    pages = list((index.parent / "validations").rglob("*.html"))
    kinds = {page.relative_to(index.parent / "validations").parts[0] for page in pages}
    assert kinds == {"units", "indicators", "projects", "indicator_values", "project_progress"}
    assert "unexpected" in max(pages, key=lambda p: p.stat().st_size).read_text(encoding="utf-8")
    assert str(index) in mubiao("docs", "--warehouse", str(warehouse)).output.replace("\n", "")


def test_quarantine_keeps_the_row_as_it_came(warehouse):
    (row,) = query(
        warehouse,
        """
        select q.raw, q.kind from audit.quarantine q join audit.files f using (sha256)
        where f.file_name = 'values.csv' and q.row_number = 6""",
    )
    assert row["kind"] == "indicator_values"
    assert '"本期累计值": "待核"' in row["raw"]


def test_warnings_flag_a_falling_cumulative_value_and_a_growth_rate_far_from_the_ratio(warehouse):
    warnings = query(
        warehouse,
        """
        select f.file_name, w.row_number, w.kind, w.key, w.warning from audit.warnings w join audit.files f using (sha256)
        order by f.file_name, w.row_number""",
    )
    found = [(w["file_name"], w["row_number"], w["key"]) for w in warnings]
    assert found == [
        ("progress.csv", 2, "P1/2017-04"),
        ("quantities.csv", 4, "U2/JOBS/2017-09"),
        ("values.csv", 2, "U1/GDP/2017-02"),
        ("values.csv", 3, "U1/GDP/2017-03"),
    ]
    assert "低于2017年3月" in warnings[0]["warning"]
    assert warnings[1]["warning"] == "本期累计值1234.5人不是整数（以人计的数应为整数）"
    assert "相差超过5个百分点" in warnings[2]["warning"]
    assert "低于2017年2月" in warnings[3]["warning"]
