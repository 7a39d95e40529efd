"""The meeting pack (issue 5): report.html in headless Chromium, report.xlsx read back, bulletin.md's figures.

The default zone's pack is the one `mubiao run` writes; the synthetic zone's figures are
computed from tests/synthetic_zone.py's own dictionaries and the expectations of tests/test_synthetic_zone.py.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests import test_synthetic_zone as zone
from tests.browser import ARTIFACTS, PageText, chromium
from tests.conftest import query

# Sentences of the seed, with the figures as the seed prints them (2016 actuals; the 2017 targets and plan).
SEED_BULLETIN = [
    "全区生产总值完成124.3亿元，同比增长9.9%",
    "规模以上工业增加值完成83.9亿元，同比增长9.1%",
    "第三产业增加值完成36.3亿元，同比增长13.1%",
    "固定资产投资完成163亿元，同比增长18.1%",
    "社会消费品零售总额完成47.2亿元，同比增长12.8%",
    "进出口总值完成3990万美元，同比增长7.4%",
    "实际利用外资完成8913万美元，同比增长5.25%",
    "一般公共预算收入完成10.2亿元，同比增长8.2%",
    "城镇新增就业4517人",
    "粮食总产量19.25万吨",
    "新增造林面积3200亩",
    "规模以上工业企业数95家",
    "生产总值增长9%左右",
    "规模以上工业增加值增长9%",
    "第三产业增加值增长10%",
    "一般公共预算收入增长8.5%左右",
    "社会消费品零售总额增长12.5%",
    "固定资产投资增长16.5%",
    "进出口总值保持稳定",
    "与经济增长同步",
    "城镇新增就业3200人以上",
    "完成省、市下达任务",
    "全年共谋划重点项目105个，总投资273.4亿元，年度计划投资62.7亿元",
    "工业项目35个，总投资81.5亿元，年度计划投资26亿元",
    "服务业项目9个，总投资54.4亿元，年度计划投资12.7亿元",
    "城建项目31个，总投资53.5亿元，年度计划投资16.5亿元",
    "社会事业项目15个，总投资27亿元，年度计划投资6.3亿元",
    "农林水项目5个，总投资4亿元，年度计划投资1.2亿元",
    "前期项目10个，总投资53亿元",
]

SHEETS = {
    "目标完成情况": [
        "指标代码",
        "指标名称",
        "责任单位",
        "目标",
        "目标类型",
        "截至月份",
        "实际值",
        "计量单位",
        "同比增长",
        "序时进度",
        "完成进度",
        "未完整月份",
        "状态",
    ],
    "重点项目": [
        "分组",
        "名称",
        "项目数",
        "总投资（亿元）",
        "年度计划投资（亿元）",
        "累计完成投资（亿元）",
        "完成率",
        "序时进度",
        "已开工",
        "竣工投产",
    ],
    "单位考核": [
        "单位代码",
        "单位名称",
        "单位类型",
        "目标数",
        "达标或序时推进",
        "滞后或未完成",
        "重点项目数",
        "滞后项目数",
        "未报送项目数",
        "隔离行数",
    ],
    "数据质量": ["文件名", "类别", "状态", "行数", "入库行", "隔离行", "错误"],
}

CRAFTED_UNITS = {"Z91": "=1+2", "Z92": "+86热线", "Z93": "-减", "Z94": "@SUM(A1)"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic zone, plus units whose names start with = + - @, through `mubiao run`; the warehouse."""
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    root = tmp_path_factory.mktemp("synthetic")
    inbox = zone.write_zone(root / "inbox")
    with (inbox / "units_crafted.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [
                ["unit_code", "unit_name", "unit_type"],
                *[[code, name, "驻区机构"] for code, name in CRAFTED_UNITS.items()],
            ]
        )
    warehouse = root / "wh" / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


# ---------------------------------------------------------------- bulletin.md


def test_the_default_bulletin_prints_the_seed_figures_verbatim(default_pack):
    _, folder = default_pack
    bulletin = (folder / "bulletin.md").read_text(encoding="utf-8")
    missing = [sentence for sentence in SEED_BULLETIN if sentence not in bulletin]
    assert missing == []
    assert (
        bulletin.index("全区生产总值完成124.3亿元")
        < bulletin.index("规模以上工业增加值完成83.9亿元")
        < bulletin.index("一般公共预算收入完成10.2亿元")
    )  # the seed's own order


def figure(value: float) -> str:
    """A figure as the seed prints it: two decimals at most, trailing zeros dropped."""
    return f"{round(value, 2):g}"


def review_sentences(year: int) -> list[str]:
    sentences = []
    for (code, y, month), (value, yoy) in zone.zone_figures().items():
        if (y, month) != (year, 12):
            continue
        name, measure = zone.INDICATORS[code][0], zone.INDICATORS[code][1]
        if yoy is None:
            sentences.append(f"{name}{figure(value)}{measure}")
        else:
            change = f"同比增长{figure(yoy)}%" if yoy >= 0 else f"同比下降{figure(-yoy)}%"
            sentences.append(f"{name}完成{figure(value)}{measure}，{change}")
    return sentences


def test_the_synthetic_bulletins_print_the_zone_figures(synthetic, mubiao, tmp_path):
    latest = (synthetic.parent / "report" / "2021" / "bulletin.md").read_text(encoding="utf-8")
    plan = {category: row for (month, category), row in zone.expected_by_category().items() if month == 0}
    expected = [
        *review_sentences(2020),
        *[f"{zone.INDICATORS[code][0]}{text}" for (year, code), (text, _) in zone.TARGETS.items() if year == 2021],
        f"全年共谋划重点项目{sum(r['project_count'] for r in plan.values())}个，"
        f"总投资{figure(sum(r['total_investment'] for r in plan.values()))}亿元，"
        f"年度计划投资{figure(sum(r['annual_plan'] or 0 for r in plan.values()))}亿元",
        *[
            f"{category}项目{r['project_count']}个，总投资{figure(r['total_investment'])}亿元"
            + (f"，年度计划投资{figure(r['annual_plan'])}亿元" if r["annual_plan"] else "")
            for category, r in plan.items()
        ],
    ]
    assert [s for s in expected if s not in latest] == []
    assert "出口总额完成3250万美元，同比下降1.2%" in latest  # a fall is said as a fall

    mubiao("report", "--year", "2020", "--warehouse", str(synthetic), "--out", str(tmp_path / "2020"))
    finished = (tmp_path / "2020" / "bulletin.md").read_text(encoding="utf-8")
    expected_2020 = [
        *review_sentences(2019),
        *review_sentences(2020),
        *[f"{zone.INDICATORS[code][0]}{text}" for (year, code), (text, _) in zone.TARGETS.items() if year == 2020],
    ]
    assert [s for s in expected_2020 if s not in finished] == []
    assert "数据截至2020年全年" in finished


# ---------------------------------------------------------------- report.xlsx


def sheet_rows(path: Path, name: str) -> list[dict]:
    sheet = openpyxl.load_workbook(path)[name]
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_workbook_holds_the_marts_figures(default_pack):
    warehouse, folder = default_pack
    book = openpyxl.load_workbook(folder / "report.xlsx")
    assert list(book.sheetnames[:4]) == list(SHEETS)
    for name, headers in SHEETS.items():
        assert [c.value for c in book[name][1]] == headers, name
        assert book[name].freeze_panes == "A2", name

    marts = query(warehouse, "select * from marts.target_completion where year = 2017 order by indicator_code")
    rows = sorted(sheet_rows(folder / "report.xlsx", "目标完成情况"), key=lambda r: r["指标代码"])
    assert [r["指标代码"] for r in rows] == [m["indicator_code"] for m in marts]
    for row, mart in zip(rows, marts, strict=True):
        assert (row["目标"], row["截至月份"], row["实际值"]) == (
            mart["target_text"],
            mart["as_of_month"],
            mart["actual_value"],
        )
        for column, field in (
            ("同比增长", "actual_yoy_pct"),
            ("序时进度", "time_progress_pct"),
            ("完成进度", "completion_pct"),
        ):
            assert row[column] == (None if mart[field] is None else pytest.approx(mart[field] / 100)), column
    assert {r["指标代码"]: r["状态"] for r in rows}["IND_VA"] == "滞后"
    sheet = book["目标完成情况"]
    formats = {
        sheet.cell(row, 1).value: (sheet.cell(row, 7).number_format, sheet.cell(row, 9).number_format)
        for row in range(2, sheet.max_row + 1)
    }
    assert formats["GDP"] == ("#,##0.00", "0.0#%") and formats["URBAN_JOBS"][0] == "#,##0"
    coloured = {str(rule.formula[0]) for cf in sheet.conditional_formatting for rule in cf.rules}
    assert {'"滞后"', '"序时推进"', '"完成"', '"未完成"'} <= coloured

    category = query(
        warehouse,
        """select * from marts.project_investment_by_category
                                   where year = 2017 and as_of_month = 9 order by category_order""",
    )
    projects = [r for r in sheet_rows(folder / "report.xlsx", "重点项目") if r["分组"] == "按类别"]
    assert [
        (r["名称"], r["项目数"], r["总投资（亿元）"], r["年度计划投资（亿元）"], r["累计完成投资（亿元）"])
        for r in projects
    ] == [
        (c["category"], c["project_count"], c["total_investment"], c["annual_plan"], c["completed_ytd"])
        for c in category
    ]

    scorecard = query(warehouse, "select * from marts.unit_scorecard where year = 2017 order by unit_code")
    assert [
        (r["单位代码"], r["滞后或未完成"], r["滞后项目数"], r["未报送项目数"], r["隔离行数"])
        for r in sheet_rows(folder / "report.xlsx", "单位考核")
    ] == [
        (s["unit_code"], s["targets_behind"], s["projects_behind"], s["projects_unreported"], s["rows_quarantined"])
        for s in scorecard
    ]
    files = sheet_rows(folder / "report.xlsx", "数据质量")
    assert len(files) == 89 and sum(f["隔离行"] for f in files) == 8


def test_no_cell_is_a_formula_and_crafted_names_stay_text(synthetic):
    path = synthetic.parent / "report" / "2021" / "report.xlsx"
    book = openpyxl.load_workbook(path)
    assert [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    names = {r["单位代码"]: r["单位名称"] for r in sheet_rows(path, "单位考核")}
    assert {code: names[code] for code in CRAFTED_UNITS} == CRAFTED_UNITS


# ---------------------------------------------------------------- report.html in Chromium


def embedded_cmap(html: str) -> set[int]:
    from fontTools.ttLib import TTFont

    (data,) = re.findall(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html)
    return set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())


def test_the_page_renders_offline_in_chromium_with_every_glyph(default_pack, tmp_path):
    warehouse, folder = default_pack
    page = folder / "report.html"
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing to fetch: fonts and charts inline
    assert html.count("<svg") >= 2

    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile-dom").stdout
    parser = PageText()
    parser.feed(dom)
    text = "".join(parser.chunks)
    for target in query(warehouse, "select indicator_name, target_text from marts.target_completion where year = 2017"):
        assert target["indicator_name"] in text and target["target_text"] in text, target
    cmap = embedded_cmap(html)
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})
    assert missing == [], f"characters without a glyph in the embedded font: {missing}"
    assert "年度计划完成率" in text  # the charts' own text (SVG text nodes) is page text too

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-2017.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri(), profile=tmp_path / "profile-shot")
    width, height = int.from_bytes(shot.read_bytes()[16:20], "big"), int.from_bytes(shot.read_bytes()[20:24], "big")
    assert (width, height) == (1280, 2400)
    print(f"screenshot: {shot}")


# ---------------------------------------------------------------- the command


def test_report_as_of_an_earlier_month_cuts_the_year_there(default_pack, mubiao, tmp_path):
    warehouse, _ = default_pack
    result = mubiao("report", "--as-of", "2017年上半年", "--warehouse", str(warehouse), "--out", str(tmp_path))
    assert str(tmp_path) in result.output.replace("\n", "")
    rows = {r["指标代码"]: r for r in sheet_rows(tmp_path / "report.xlsx", "目标完成情况")}
    june = {
        r["indicator_code"]: r["value"]
        for r in query(
            warehouse, "select indicator_code, value from core.zone_indicator_values where year = 2017 and month = 6"
        )
    }
    assert {r["截至月份"] for r in rows.values()} == {6}
    assert {code: r["实际值"] for code, r in rows.items() if r["实际值"] is not None} == {
        code: june[code] for code in rows if code in june
    }
    assert {r["序时进度"] for r in rows.values()} == {0.5}
    category = query(
        warehouse,
        """select category, completed_ytd from marts.project_investment_by_category
                                   where year = 2017 and as_of_month = 6 order by category_order""",
    )
    projects = [r for r in sheet_rows(tmp_path / "report.xlsx", "重点项目") if r["分组"] == "按类别"]
    assert [(r["名称"], r["累计完成投资（亿元）"]) for r in projects] == [
        (c["category"], c["completed_ytd"]) for c in category
    ]
    assert "数据截至2017年1-6月" in (tmp_path / "bulletin.md").read_text(encoding="utf-8")


def test_report_errors_are_one_line(default_pack, mubiao, tmp_path):
    warehouse, _ = default_pack
    cases = [
        (["--as-of", "2017-13"], "无法识别的截至月份"),
        (["--year", "2016", "--as-of", "2017-06"], "不在 2016 年内"),
        (["--year", "2030"], "没有 2030 年的数据"),
    ]
    for args, message in cases:
        result = mubiao("report", *args, "--warehouse", str(warehouse), "--out", str(tmp_path), expect=1)
        assert message in result.output and "Traceback" not in result.output, result.output
    missing = mubiao("report", "--warehouse", str(tmp_path / "none.duckdb"), expect=1)
    assert "仓库文件不存在" in missing.output


def test_report_has_help(mubiao):
    assert "--as-of" in mubiao("report", "--help").output


def test_missing_submissions_are_listed_where_the_warehouse_tracks_them(default_pack, mubiao, tmp_path):
    """The pack lists every submission of the year that is not complete, as marts.submission_status has it."""
    import duckdb

    warehouse, folder = default_pack
    expected = query(
        warehouse,
        """
        select month, unit_name, missing_names, status from marts.submission_status
        where year = 2017 and status <> 'complete' order by month, unit_code, kind""",
    )
    assert {r["status"] for r in expected} == {"partial", "missing", "late"}
    rows = sheet_rows(folder / "report.xlsx", "报送情况")
    labels = {"partial": "缺报", "missing": "未报送", "late": "迟报"}
    assert [(r["月份"], r["单位名称"], r["缺报项目"] or "", r["状态"]) for r in rows] == [
        (r["month"], r["unit_name"], "、".join(r["missing_names"]), labels[r["status"]]) for r in expected
    ]
    footer = (folder / "report.html").read_text(encoding="utf-8").split('<footer id="quality">')[1]
    assert "九州路跨大沙河桥建设工程" in footer and "环保局" in footer

    untracked = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, untracked)
    with duckdb.connect(str(untracked)) as con:
        con.execute("drop table marts.submission_status")
    mubiao("report", "--warehouse", str(untracked), "--out", str(tmp_path / "pack"))
    footer = (tmp_path / "pack" / "report.html").read_text(encoding="utf-8").split('<footer id="quality">')[1]
    assert "未跟踪各单位报送情况" in footer


def test_the_unit_chart_keeps_the_largest_plans_in_their_order():
    from types import SimpleNamespace

    from mubiao.report.html import UNITS_CHARTED, _charted_units

    rows = [{"unit_name": f"单位{i:03d}", "annual_plan": float(i % 37)} for i in range(3 * UNITS_CHARTED)]
    charted = _charted_units(SimpleNamespace(by_unit=rows))
    assert len(charted) == UNITS_CHARTED
    assert min(r["annual_plan"] for r in charted) >= max(r["annual_plan"] for r in rows if r not in charted)
    assert charted == [r for r in rows if r in charted], "in the pack's own order"
    assert _charted_units(SimpleNamespace(by_unit=rows[:5])) == rows[:5]


def test_a_pack_as_of_a_month_has_a_folder_of_its_own(default_pack, mubiao):
    warehouse, latest = default_pack
    before = {path.name: path.read_bytes() for path in latest.iterdir()}
    result = mubiao("report", "--as-of", "2017年三季度", "--warehouse", str(warehouse))
    cut = warehouse.parent / "report" / "2017-09"
    assert str(cut) in result.output.replace("\n", "")
    assert "数据截至2017年1-9月" in (cut / "bulletin.md").read_text(encoding="utf-8")
    assert {path.name: path.read_bytes() for path in latest.iterdir()} == before, "the latest pack is left as it is"
