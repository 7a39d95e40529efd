"""预计全年 (docs/marts.md §3.8): marts.target_projection and marts.project_projection against figures worked out by
hand on a small zone with two prior years, and the plain pace on the bundled zone, which has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query

VALUES = {  # (indicator, year, month): (value, yoy_pct)
    ("GDP", 2019, 3): (20, 6.0),
    ("GDP", 2019, 6): (45, 6.5),
    ("GDP", 2019, 9): (72, 6.8),
    ("GDP", 2019, 12): (100, 7.0),
    ("GDP", 2020, 3): (25, 5.0),
    ("GDP", 2020, 6): (52, 5.5),
    ("GDP", 2020, 9): (80, 6.0),
    ("GDP", 2020, 12): (110, 10.0),
    ("GDP", 2021, 3): (27, 8.0),
    ("GDP", 2021, 6): (60, 8.5),
    ("JOB", 2019, 3): (100, None),
    ("JOB", 2019, 6): (250, None),
    ("JOB", 2019, 9): (380, None),
    ("JOB", 2019, 12): (500, None),
    ("JOB", 2020, 3): (120, None),
    ("JOB", 2020, 6): (260, None),
    ("JOB", 2020, 9): (420, None),
    ("JOB", 2020, 12): (600, None),
    ("JOB", 2021, 3): (150, None),
    ("JOB", 2021, 6): (300, None),
}


def write_small_zone(inbox: Path) -> Path:
    """One unit, two indicators reported quarterly for 2019–2020 and the first half of 2021, two projects."""
    inbox.mkdir()
    files = {
        "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\nU2,开发局,区直部门\n",
        "catalogue.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\n"
        "GDP,生产总值,亿元,reported,U1\nJOB,城镇新增就业,人,reported,U1\n",
        "targets.csv": "年度,指标代码,目标\n2021,GDP,增长9%\n2021,JOB,700人以上\n",
        "values.csv": "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\n"
        + "".join(
            f"U1,{code},{year}-{month:02d},{value},{'亿元' if code == 'GDP' else '人'},{'' if yoy is None else yoy}\n"
            for (code, year, month), (value, yoy) in VALUES.items()
        ),
        "projects.csv": "年度,项目编号,项目名称,项目类别,责任单位,计划总投资,年度计划投资,计量单位\n"
        "2021,P1,东区厂房,工业,U2,30,12,亿元\n2021,P2,西区道路,城建,U2,10,6,亿元\n",
        "2021年03月_项目进度.csv": "项目编号,统计期,本年累计完成投资,计量单位,项目状态\n"
        "P1,2021-03,3,亿元,已开工\nP2,2021-03,1.5,亿元,已开工\n",
        "2021年06月_项目进度.csv": "项目编号,统计期,本年累计完成投资,计量单位,项目状态\n"
        "P1,2021-06,4.5,亿元,已开工\nP2,2021-06,4,亿元,已开工\n",
    }
    for name, text in files.items():
        (inbox / name).write_text(text, encoding="utf-8")
    return inbox


@pytest.fixture(scope="module")
def small_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    root = tmp_path_factory.mktemp("projection")
    inbox = write_small_zone(root / "inbox")
    warehouse = root / "wh" / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


def _projection(warehouse: Path, code: str, month: int) -> dict:
    [row] = query(
        warehouse,
        "select * from marts.target_projection where year = 2021 and indicator_code = ? and as_of_month = ?",
        code,
        month,
    )
    return row


def test_a_level_target_is_projected_by_the_seasonal_share_of_the_prior_years(small_zone):
    row = _projection(small_zone, "JOB", 6)
    share = (250 / 500 + 260 / 600) / 2
    assert row["is_standing"] and row["method"] == "seasonal_share" and row["method_label"] == "季节占比"
    assert row["prior_years"] == 2
    assert row["seasonal_share"] == pytest.approx(share)
    assert row["projected_value"] == pytest.approx(300 / share)  # 642.86 人
    assert row["projected_yoy_pct"] == pytest.approx((300 / share / 600 - 1) * 100)
    assert row["projected_met"] is False and row["projected_status_label"] == "预计难以完成"
    assert row["projected_gap"] == pytest.approx(700 - 300 / share)
    assert row["projected_gap_pct"] == pytest.approx((700 - 300 / share) / 700 * 100)


def test_an_earlier_month_has_its_own_projection_and_only_the_standing_month_stands(small_zone):
    row = _projection(small_zone, "JOB", 3)
    assert not row["is_standing"]
    assert row["projected_value"] == pytest.approx(150 / 0.2)  # both prior years had a fifth by March
    assert row["projected_met"] is True and row["projected_gap"] == pytest.approx(-50)
    months = query(small_zone, "select as_of_month from marts.target_projection where indicator_code = 'JOB'")
    assert sorted(r["as_of_month"] for r in months) == [3, 6]  # complete months with a figure only


def test_a_growth_target_is_projected_at_its_year_to_date_growth_with_the_prior_years_spread(small_zone):
    row = _projection(small_zone, "GDP", 6)
    assert row["method"] == "ytd_growth" and row["prior_years"] == 2
    assert row["projected_yoy_pct"] == pytest.approx(8.5)
    assert row["projected_yoy_low"] == pytest.approx(8.5 + (7.0 - 6.5))
    assert row["projected_yoy_high"] == pytest.approx(8.5 + (10.0 - 5.5))
    assert row["projected_value"] == pytest.approx(110 * 1.085)
    assert row["projected_gap"] == pytest.approx(0.5) and row["projected_status"] == "likely_missed"


def test_the_projection_stands_on_the_month_target_completion_stands_on(small_zone):
    rows = query(
        small_zone,
        """
        select completion.indicator_code, completion.as_of_month, projection.as_of_month as projected_month
        from marts.target_completion as completion
        join marts.target_projection as projection using (year, indicator_code)
        where projection.is_standing""",
    )
    assert len(rows) == 2 and all(r["as_of_month"] == r["projected_month"] == 6 for r in rows)


def test_a_project_needing_more_a_month_than_its_best_month_is_at_risk(small_zone):
    rows = {
        r["project_code"]: r
        for r in query(small_zone, "select * from marts.project_projection where year = 2021 and as_of_month = 6")
    }
    p1, p2 = rows["P1"], rows["P2"]
    assert p1["monthly_need"] == pytest.approx((12 - 4.5) / 6)
    assert p1["best_month_value"] == pytest.approx(3 / 3) and p1["best_month"] == 3
    assert p1["at_risk"] and p1["projected_shortfall"] == pytest.approx(12 - (4.5 + 1.0 * 6))
    assert p1["shortfall_pct"] == pytest.approx(1.5 / 12 * 100)
    assert p2["monthly_need"] == pytest.approx(2 / 6)
    assert p2["best_month_value"] == pytest.approx(2.5 / 3) and p2["best_month"] == 6
    assert not p2["at_risk"] and p2["projected_shortfall"] == 0


def test_the_bundled_zone_has_no_prior_monthly_year_so_it_projects_at_the_plain_pace(default_pack):
    warehouse, _ = default_pack
    rows = query(warehouse, "select * from marts.target_projection where year = 2017 and method is not null")
    level = [r for r in rows if r["target_type"] == "level"]
    assert level and all(r["method"] == "pace" and r["prior_years"] == 0 for r in level)
    for r in level:
        assert r["projected_value"] == pytest.approx(r["actual_value"] * 12 / r["as_of_month"])
    growth = [r for r in rows if r["method"] == "ytd_growth"]
    assert growth and all(r["projected_yoy_pct"] == r["actual_yoy_pct"] for r in growth)
    assert all(r["projected_yoy_low"] is None and r["prior_years"] == 0 for r in growth)
    assert all(r["projected_met"] == (r["projected_gap"] <= 0) for r in rows)


def test_the_pack_shows_each_projection_beside_its_actual_with_a_chart_and_the_risk_list(small_zone, tmp_path):
    import openpyxl

    from tests.browser import ARTIFACTS, PageText, chromium

    (folder,) = (small_zone.parent / "report").glob("2021")
    html = (folder / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="projection">') : html.index("</section>", html.index('id="projection"'))]
    assert "<svg" in section, "the chart of the year-to-date path"
    text = PageText()
    text.feed(section)
    seen = "".join(text.chunks)
    assert "642.86 人" in seen and "季节占比" in seen and "往年2年" in seen
    assert "同比增长8.5%（9%～13%）" in seen, "the growth with the prior years' range"
    risks = section[section.index('class="risks"') :]
    assert risks.index("东区厂房") < risks.index("城镇新增就业") < risks.index("生产总值"), "12.5% > 8.16% > 0.5"
    assert "西区道路" not in risks, "a project whose best month covers its need is not at risk"
    assert "预计差57.14人" in risks and "预计差0.5个百分点" in risks

    book = openpyxl.load_workbook(folder / "report.xlsx")
    projected = {row[0]: row for row in book["预计全年"].iter_rows(min_row=2, values_only=True)}
    assert projected["JOB"][7] == pytest.approx(300 / ((250 / 500 + 260 / 600) / 2))
    assert [row[1] for row in book["风险清单"].iter_rows(min_row=2, values_only=True)] == [
        "东区厂房",
        "城镇新增就业",
        "生产总值",
    ]
    assert [row[0] for row in book["预计难以完成项目"].iter_rows(min_row=2, values_only=True)] == ["P1"]
    bulletin = (folder / "bulletin.md").read_text(encoding="utf-8")
    assert "## 预计全年" in bulletin and "城镇新增就业约642.86人，同比增长7.14%（预计难以完成）" in bulletin

    ARTIFACTS.mkdir(exist_ok=True)
    page = tmp_path / "projection.html"
    page.write_text(html.replace("</style>", "section:not(#projection), footer { display: none; }</style>", 1))
    shot = ARTIFACTS / "report-projection-small-zone.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", "--window-size=1200,1300", page.as_uri(), profile=tmp_path / "profile")
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == 1200


def test_remind_writes_a_notice_for_each_unit_that_still_owes(small_zone, mubiao_process, tmp_path):
    import openpyxl

    done = mubiao_process("remind", "--period", "2021-05", "--warehouse", str(small_zone), cwd=tmp_path)
    folder = small_zone.parent / "feedback" / "2021-05"
    notices = sorted(p.name for p in folder.glob("*_催报通知_*.xlsx"))
    assert notices == ["2021-05_催报通知_U1_统计局.xlsx", "2021-05_催报通知_U2_开发局.xlsx"]
    assert "已写入 2 份催报通知" in done.stdout
    book = openpyxl.load_workbook(folder / notices[0])
    [owed] = list(book["应报未报"].iter_rows(min_row=2, values_only=True))
    assert owed[:4] == ("指标数据", "未报送", "生产总值、城镇新增就业", 2)
    assert owed[4].date().isoformat() == "2021-06-05" and owed[5] == "2021年3月"
    [projects] = list(openpyxl.load_workbook(folder / notices[1])["应报未报"].iter_rows(min_row=2, values_only=True))
    assert projects[2] == "东区厂房、西区道路"

    mubiao_process("remind", "--period", "2021-06", "--warehouse", str(small_zone), cwd=tmp_path)
    assert not list((small_zone.parent / "feedback" / "2021-06").glob("*_催报通知_*.xlsx")), "June is all in"


def test_remind_before_anyone_reports_names_every_unit_that_owes_the_month(small_zone, mubiao_process, tmp_path):
    """July 2021: nobody has reported it (no marts.submission_status rows), yet 催报 goes out before its due day."""
    import openpyxl

    assert not query(small_zone, "select * from marts.submission_status where year = 2021 and month = 7")
    done = mubiao_process("remind", "--period", "2021-07", "--warehouse", str(small_zone), cwd=tmp_path)
    folder = small_zone.parent / "feedback" / "2021-07"
    notices = sorted(p.name for p in folder.glob("*_催报通知_*.xlsx"))
    assert notices == ["2021-07_催报通知_U1_统计局.xlsx", "2021-07_催报通知_U2_开发局.xlsx"]
    assert "已写入 2 份催报通知" in done.stdout
    [values] = list(openpyxl.load_workbook(folder / notices[0])["应报未报"].iter_rows(min_row=2, values_only=True))
    assert values[:4] == ("指标数据", "未报送", "生产总值、城镇新增就业", 2)
    assert values[4].date().isoformat() == "2021-08-05" and values[5] == "2021年6月"
    [projects] = list(openpyxl.load_workbook(folder / notices[1])["应报未报"].iter_rows(min_row=2, values_only=True))
    assert projects[:4] == ("项目进度", "未报送", "东区厂房、西区道路", 2) and projects[5] == "2021年6月"


def test_remind_refuses_a_month_not_over_yet(small_zone, mubiao_process, tmp_path):
    import datetime as dt

    this_month = dt.date.today().strftime("%Y-%m")
    done = mubiao_process("remind", "--period", this_month, "--warehouse", str(small_zone), cwd=tmp_path, expect=1)
    assert "尚未结束，还不能催报" in done.stderr
