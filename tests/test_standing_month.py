"""A target stands on its indicator's latest complete month; a later month with part of its submissions in is
shown beside it as 未完整, never as the headline (docs/marts.md §3.5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from mubiao.cli.config import default_inbox
from tests.conftest import query

OCTOBER = {  # two of the five townships that owe the zone's sum indicators send October early
    "2017年10月_阳庙镇_月报.csv": ("2017年09月_阳庙镇_月报.csv", "gbk"),
    "2017年10月_安阳城乡_月报.csv": ("2017年09月_安阳城乡_月报.csv", None),
}


def _early_october(inbox: Path) -> None:
    for name, (september, encoding) in OCTOBER.items():
        data = (default_inbox() / september).read_bytes()
        text = data.decode(encoding or "utf-8-sig")
        text = (
            text.replace("2017年9月", "2017年10月").replace("2017-09", "2017-10").replace("2017年1-9月", "2017年1-10月")
        )
        (inbox / name).write_bytes(text.encode(encoding or "utf-8-sig"))


def test_an_early_month_is_shown_beside_the_complete_one_never_as_the_headline(mubiao_process, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(default_inbox(), inbox)
    _early_october(inbox)
    mubiao_process("run", "--inbox", "inbox", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"

    [jobs] = query(
        warehouse,
        """select as_of_month, actual_value, partial_month, partial_received, partial_owed
                                 from marts.target_completion where year = 2017 and indicator_code = 'URBAN_JOBS'""",
    )
    [september] = query(
        warehouse,
        """select value from core.zone_indicator_values
                                      where year = 2017 and month = 9 and indicator_code = 'URBAN_JOBS'""",
    )
    assert jobs == {
        "as_of_month": 9,
        "actual_value": september["value"],
        "partial_month": 10,
        "partial_received": 2,
        "partial_owed": 5,
    }
    assert query(
        warehouse,
        "select distinct as_of_month from marts.target_completion where year = 2017 and actual_value is not null",
    ) == [{"as_of_month": 9}], "every target stands on September"

    pack = tmp_path / "report" / "2017"
    bulletin = (pack / "bulletin.md").read_text(encoding="utf-8")
    assert "数据截至2017年1-9月" in bulletin and "1-10月" not in bulletin
    assert f"城镇新增就业完成{int(september['value'])}人" in bulletin and "10月未完整（已报2/5）" in bulletin
    assert "10月未完整（已报2/5）" in (pack / "report.html").read_text(encoding="utf-8")
    rows = openpyxl.load_workbook(pack / "report.xlsx")["目标完成情况"].iter_rows(values_only=True)
    header = next(rows)
    sheet = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert (sheet["URBAN_JOBS"]["截至月份"], sheet["URBAN_JOBS"]["未完整月份"]) == (9, "10月未完整（已报2/5）")


def test_the_default_zone_stands_on_its_last_month(mubiao_process, tmp_path: Path) -> None:
    mubiao_process("run", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    assert query(
        tmp_path / "warehouse.duckdb",
        "select count(*) as n from marts.target_completion where partial_month is not null",
    ) == [{"n": 0}]


def test_every_status_in_the_marts_has_its_chinese_label_beside_it(mubiao_process, tmp_path: Path) -> None:
    from mubiao.foundation.vocabulary import SUBMISSION_STATUS, TARGET_STATUS

    mubiao_process("run", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    for table, labels in (("target_completion", TARGET_STATUS), ("submission_status", SUBMISSION_STATUS)):
        pairs = query(warehouse, f"select distinct status, status_label from marts.{table}")
        assert pairs and all(row["status_label"] == labels[row["status"]] for row in pairs), (table, pairs)


def _october_in_part(inbox: Path) -> None:
    """The statistics bureau's monthly figures for October (complete), two of five townships' (partial), and the
    progress of 11 of the 105 projects."""
    _early_october(inbox)
    august = (default_inbox() / "2017年08月_统计局_主要指标.csv").read_bytes().decode("gbk")
    (inbox / "2017年10月_统计局_主要指标.csv").write_bytes(august.replace("2017年1-8月", "2017年1-10月").encode("gbk"))
    sheet = openpyxl.load_workbook(default_inbox() / "2017年09月_发改局_投资与项目.xlsx")["重点项目进度"]
    header, *rows = sheet.iter_rows(values_only=True)
    lines = [",".join(header[:6])]
    for row in rows[:11]:
        lines.append(",".join(str(v) for v in (*row[:2], "2017-10", round(row[3] * 1.1), *row[4:6])))
    (inbox / "2017年10月_发改局_重点项目.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_pack_and_its_projects_stand_on_the_last_month_no_indicator_is_partial(mubiao_process, tmp_path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(default_inbox(), inbox)
    _october_in_part(inbox)
    mubiao_process("run", "--inbox", "inbox", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    [standing] = query(warehouse, "select * from core.standing_months where year = 2017")
    assert standing == {
        "year": 2017,
        "data_month": 9,
        "project_month": 9,
        "later_month": 10,
        "later_reported": 11,
        "projects_total": 105,
    }, "October's complete figures do not move the headline while URBAN_JOBS is partial there"

    pack = tmp_path / "report" / "2017"
    bulletin = (pack / "bulletin.md").read_text(encoding="utf-8")
    page = (pack / "report.html").read_text(encoding="utf-8")
    assert "数据截至2017年1-9月" in bulletin and "2017年1-9月，重点项目累计完成投资" in bulletin
    assert "10月已报 11/105 项，未计入" in bulletin and "10月已报 11/105 项，未计入" in page
    assert "三、2017年重点项目投资（2017年1-9月）" in page
    behind = query(
        warehouse,
        "select count(*) as n from core.project_month_states where year = 2017 and as_of_month = 9 and behind",
    )[0]["n"]
    [scorecard] = query(warehouse, "select sum(projects_behind) as behind from marts.unit_scorecard where year = 2017")
    assert scorecard["behind"] == behind, "the scorecard counts the pack's month"
    assert f"完成投资低于序时进度的{behind}个" in bulletin


def test_a_project_with_no_report_is_unreported_never_behind(mubiao_process, tmp_path: Path) -> None:
    """February: most projects have sent nothing yet; they are listed apart, and only reported ones can be behind."""
    mubiao_process("run", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    mubiao_process("report", "--as-of", "2017-02", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    states = query(
        warehouse,
        """select count(*) filter (where behind) as behind, count(*) filter (where not reported) as unreported,
            count(*) filter (where behind and not reported) as both
        from core.project_month_states where year = 2017 and as_of_month = 2""",
    )[0]
    assert states["unreported"] > 0 and states["both"] == 0
    book = openpyxl.load_workbook(tmp_path / "report" / "2017-02" / "report.xlsx")
    assert book["未报送项目"].max_row - 1 == states["unreported"]
    behind_rows = book["滞后项目"].max_row - 1 if "滞后项目" in book.sheetnames else 0
    assert behind_rows == states["behind"]
    header, *rows = book["单位考核"].iter_rows(values_only=True)
    totals = {h: sum(r[i] for r in rows) for i, h in enumerate(header) if h in ("滞后项目数", "未报送项目数")}
    assert totals == {"滞后项目数": states["behind"], "未报送项目数": states["unreported"]}
    bulletin = (tmp_path / "report" / "2017-02" / "bulletin.md").read_text(encoding="utf-8")
    assert f"尚未报送进度的项目{states['unreported']}个（未计入滞后）" in bulletin
