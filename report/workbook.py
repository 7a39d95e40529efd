"""report.xlsx: the pack as a formatted workbook (xlsxwriter). Data is only ever written as values: text as
text (report/listed_sheet.py), so a name starting with = + - @ stays text, never a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from mubiao.report.data import Pack
from mubiao.report.labels import (
    FILE_STATUS,
    STATUS,
    SUBMISSION_STATUS,
    TARGET_TYPES,
    kind_label,
    partial_note,
    projected_gap,
    status_label,
)
from mubiao.report.listed_sheet import ListedSheet, written_rows
from mubiao.report.pack_cache import PackCache
from mubiao.report.safe_cells import WORKBOOK_OPTIONS

FORMATS = {  # kind → xlsxwriter number format
    "text": None,
    "int": "#,##0",
    "yi": "#,##0.00",
    "pct": "0.0#%",
    "value": "#,##0.00",
}
STATUS_FILLS = {label: colour for label, colour in STATUS.values()}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]
    kind: str = "text"
    width: int = 12


def _key(name: str) -> Callable[[dict], object]:
    return lambda row: row.get(name)


def _pct(name: str) -> Callable[[dict], object]:
    """Marts hold 9.9 for 9.9 %; Excel's percent format wants 0.099."""
    return lambda row: None if row.get(name) is None else row[name] / 100


TARGET_COLUMNS = [
    Column("指标代码", _key("indicator_code"), width=12),
    Column("指标名称", _key("indicator_name"), width=22),
    Column("责任单位", lambda r: r.get("responsible_unit_name") or r["responsible_unit"], width=12),
    Column("目标", _key("target_text"), width=20),
    Column("目标类型", lambda r: TARGET_TYPES.get(r["target_type"], r["target_type"])),
    Column("截至月份", _key("as_of_month"), "int", 9),
    Column("实际值", _key("actual_value"), "value", 12),
    Column("计量单位", _key("measure"), width=9),
    Column("同比增长", _pct("actual_yoy_pct"), "pct", 10),
    Column("序时进度", _pct("time_progress_pct"), "pct", 10),
    Column("完成进度", _pct("completion_pct"), "pct", 10),
    Column("未完整月份", lambda r: partial_note(r) or None, width=22),
    Column("状态", lambda r: status_label(r["status"]), width=10),
]
PROJECT_COLUMNS = [
    Column("分组", _key("group"), width=10),
    Column("名称", _key("name"), width=16),
    Column("项目数", _key("project_count"), "int", 8),
    Column("总投资（亿元）", _key("total_investment"), "yi", 14),
    Column("年度计划投资（亿元）", _key("annual_plan"), "yi", 18),
    Column("累计完成投资（亿元）", _key("completed_ytd"), "yi", 18),
    Column("完成率", _pct("completion_pct"), "pct", 9),
    Column("序时进度", _pct("time_progress_pct"), "pct", 9),
    Column("已开工", _key("started_count"), "int", 8),
    Column("竣工投产", _key("finished_count"), "int", 9),
]
SCORECARD_COLUMNS = [
    Column("单位代码", _key("unit_code"), width=10),
    Column("单位名称", _key("unit_name"), width=20),
    Column("单位类型", _key("unit_type"), width=10),
    Column("目标数", _key("targets_total"), "int", 8),
    Column("达标或序时推进", _key("targets_met"), "int", 14),
    Column("滞后或未完成", _key("targets_behind"), "int", 12),
    Column("重点项目数", _key("projects_total"), "int", 10),
    Column("滞后项目数", _key("projects_behind"), "int", 10),
    Column("未报送项目数", _key("projects_unreported"), "int", 12),
    Column("隔离行数", _key("rows_quarantined"), "int", 9),
]
FILE_COLUMNS = [
    Column("文件名", _key("file_name"), width=36),
    Column("类别", lambda r: kind_label(r["kind"]), width=12),
    Column(
        "状态",
        lambda r: FILE_STATUS.get(r["status"], r["status"]),
    ),
    Column("行数", _key("rows_total"), "int", 8),
    Column("入库行", _key("rows_loaded"), "int", 8),
    Column("隔离行", _key("rows_quarantined"), "int", 8),
    Column("错误", _key("error"), width=30),
]
SUBMISSION_COLUMNS = [
    Column("月份", _key("month"), "int", 6),
    Column("单位代码", _key("unit_code")),
    Column("单位名称", _key("unit_name"), width=16),
    Column("报送类别", lambda r: kind_label(r["kind"]), width=12),
    Column("应报", _key("expected_items"), "int", 6),
    Column("已报", _key("received_items"), "int", 6),
    Column("缺报项目", lambda r: "、".join(map(str, r.get("missing_names") or r.get("missing_items") or [])), width=30),
    Column("状态", lambda r: SUBMISSION_STATUS.get(r["status"], r["status"]), width=10),
]


def workbook_bytes(pack: Pack, cache: PackCache | None = None) -> bytes:
    """Sheets 目标完成情况, 重点项目, 单位考核, 数据质量 (and 滞后项目, 未报送项目, 报送情况, 预计全年, 风险清单,
    预计难以完成项目 where there are any).

    Its created date is the first day of the month the figures stand on, not the clock's: the same data makes the
    same bytes, so a pack whose data has not changed is left as it is (report/pack_cache.py). 数据质量's rows are
    written by blocks of files, from `cache` where it holds them (`_listed_files`)."""
    import xlsxwriter

    content = io.BytesIO()  # built in memory, written in one go (report/table_book.py says why)
    book = xlsxwriter.Workbook(content, {**WORKBOOK_OPTIONS, "in_memory": True})
    book.set_properties({"created": dt.datetime(pack.year, max(pack.as_of_month, 1), 1, tzinfo=dt.UTC)})
    formats = _formats(book)
    fills = {
        label: book.add_format({"bg_color": colour, "font_color": "#FFFFFF"}) for label, colour in STATUS_FILLS.items()
    }
    targets = _sheet(book, formats, "目标完成情况", TARGET_COLUMNS, pack.targets)
    status_col = len(TARGET_COLUMNS) - 1
    for label, fill in fills.items():
        targets.conditional_format(
            1,
            status_col,
            max(len(pack.targets), 1),
            status_col,
            {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": fill},
        )
    project_rows = _project_rows(pack)
    projects = _sheet(book, formats, "重点项目", PROJECT_COLUMNS, project_rows)
    _flag_below_time_progress(projects, book, len(project_rows))
    scorecard = _sheet(book, formats, "单位考核", SCORECARD_COLUMNS, pack.scorecard)
    red = book.add_format({"font_color": "#CF222E", "bold": True})
    for col in (5, 7, 8, 9):
        scorecard.conditional_format(
            1, col, max(len(pack.scorecard), 1), col, {"type": "cell", "criteria": ">", "value": 0, "format": red}
        )
    quality = _sheet(book, formats, "数据质量", FILE_COLUMNS, pack.files, header_only=True)
    _listed_files(quality, formats, pack.files, cache)
    for name, columns, rows, shown in _further_sheets(pack):
        if shown:
            _sheet(book, formats, name, columns, rows)
    book.close()
    return content.getvalue()


def _formats(book) -> dict:
    """The cell format of each column kind, and of the header row."""
    formats = {kind: book.add_format({"num_format": f} if f else {}) for kind, f in FORMATS.items()}
    formats["header"] = book.add_format({"bold": True, "bg_color": "#F6F8FA", "bottom": 1, "text_wrap": True})
    for cell_format in formats.values():  # numbered now, alike in every pack: rows written ahead name them so
        cell_format._get_xf_index()
    return formats


def _sheet(book, formats: dict, name: str, columns: list[Column], rows: list[dict], header_only: bool = False):
    """A sheet of `rows` under a frozen header row, with a filter when it has rows; with `header_only`, the rows are
    left to be added."""
    ws = book.add_worksheet(name, ListedSheet)
    ws.freeze_panes(1, 0)
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width, formats[column.kind])
    header = [(column.header, formats["header"]) for column in columns]
    ws.list_rows([header, *([] if header_only else _cells(columns, rows, formats))])
    if rows:
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
    return ws


def _further_sheets(pack: Pack) -> list[tuple[str, list[Column], list[dict], bool]]:
    """The sheets after 数据质量, in order, each with whether the pack has it."""
    return [
        ("滞后项目", BEHIND_COLUMNS, pack.projects_behind, bool(pack.projects_behind)),
        ("未报送项目", PROJECT_HEAD[:5], pack.projects_unreported, bool(pack.projects_unreported)),
        ("报送情况", SUBMISSION_COLUMNS, pack.submissions, bool(pack.submissions)),
        ("预计全年", PROJECTION_COLUMNS, pack.projections, bool(pack.projections)),
        ("风险清单", RISK_COLUMNS, pack.risks, bool(pack.projections)),  # beside the projection, even when empty
        ("预计难以完成项目", AT_RISK_COLUMNS, pack.projects_at_risk, bool(pack.projects_at_risk)),
    ]


PROJECTION_COLUMNS = [
    Column("指标代码", _key("indicator_code"), width=12),
    Column("指标名称", _key("indicator_name"), width=22),
    Column("责任单位", lambda r: r.get("responsible_unit_name") or r["responsible_unit"], width=12),
    Column("目标", _key("target_text"), width=20),
    Column("截至月份", _key("as_of_month"), "int", 9),
    Column("实际值", _key("actual_value"), "value", 12),
    Column("同比增长", _pct("actual_yoy_pct"), "pct", 10),
    Column("预计全年", _key("projected_value"), "value", 12),
    Column("计量单位", _key("measure"), width=9),
    Column("预计增长", _pct("projected_yoy_pct"), "pct", 10),
    Column("预计增长下限", _pct("projected_yoy_low"), "pct", 12),
    Column("预计增长上限", _pct("projected_yoy_high"), "pct", 12),
    Column("预计方法", _key("method_label"), width=10),
    Column("往年数", _key("prior_years"), "int", 8),
    Column("预计差距", lambda r: projected_gap(r) or None, width=20),
    Column("预计", _key("projected_status_label"), width=12),
]
RISK_COLUMNS = [
    Column("类别", _key("kind"), width=9),
    Column("名称", _key("name"), width=40),
    Column("责任单位", _key("unit"), width=14),
    Column("预计差距", lambda r: projected_gap(r["row"]) if r["kind"] == "目标" else None, width=20),
    Column("剩余月均需完成（亿元）", lambda r: r["row"].get("monthly_need"), "yi", 20),
    Column("本年最高月完成（亿元）", lambda r: r["row"].get("best_month_value"), "yi", 20),
    Column("预计仍差投资（亿元）", lambda r: r["row"].get("projected_shortfall"), "yi", 18),
    Column("差距占目标（%，增速为百分点）", _key("gap_pct"), "yi", 26),
]
PROJECT_HEAD = [
    Column("项目编号", _key("project_code")),
    Column("项目名称", _key("project_name"), width=40),
    Column("类别", _key("category"), width=9),
    Column("责任单位", lambda r: r.get("unit_name") or r["responsible_unit"]),
    Column("年度计划投资（亿元）", _key("annual_plan"), "yi", 18),
    Column("累计完成投资（亿元）", _key("completed_ytd"), "yi", 18),
]
"""A project's code, name, category, unit, plan and what it has done: the first columns of each project list."""
AT_RISK_COLUMNS = [
    *PROJECT_HEAD,
    Column("剩余月均需完成（亿元）", _key("monthly_need"), "yi", 20),
    Column("本年最高月完成（亿元）", _key("best_month_value"), "yi", 20),
    Column("预计仍差投资（亿元）", _key("projected_shortfall"), "yi", 18),
]

BEHIND_COLUMNS = [
    *PROJECT_HEAD,
    Column("完成率", _pct("completion_pct"), "pct", 9),
    Column("序时进度", _pct("time_progress_pct"), "pct", 9),
    Column("项目状态", _key("status"), width=9),
    Column("进度所取月份", _key("reported_month"), "int", 12),
]


def _project_rows(pack: Pack) -> list[dict]:
    by_category = pack.by_category or pack.plan
    return [{**r, "group": "按类别", "name": r["category"]} for r in by_category] + [
        {**r, "group": "按责任单位", "name": r["unit_name"] or r["responsible_unit"]} for r in pack.by_unit
    ]


def _flag_below_time_progress(ws, book, rows: int) -> None:
    """Completion below time progress in red: =G2<H2 compares two cells the writer filled with values."""
    red = book.add_format({"bg_color": "#FFEBE9", "font_color": "#CF222E"})
    ws.conditional_format(
        1, 6, max(rows, 1), 6, {"type": "formula", "criteria": "=AND(ISNUMBER($G2),$G2<$H2)", "format": red}
    )


BLOCK = 4096
"""Files a kept block of 数据质量 holds: a month's run adds about 2,000 files at M to the last, and reads the rest."""


def _listed_files(ws: ListedSheet, formats: dict, files: list[dict], cache: PackCache | None) -> None:
    """数据质量's rows by blocks of BLOCK files, each from `cache` where it holds the block as written before (the
    same files at the same rows, in formats numbered alike), else written now."""
    numbers = {kind: cell_format._get_xf_index() for kind, cell_format in formats.items()}
    for first in range(0, len(files), BLOCK):
        block = files[first : first + BLOCK]
        make = partial(_written, block, first + 1, formats)
        xml = cache.bytes("files", (first, numbers, block), make) if cache else make()
        ws.add_written(xml.decode("utf-8"), len(block), len(FILE_COLUMNS))


def _written(files: list[dict], first: int, formats: dict) -> bytes:
    return written_rows(_cells(FILE_COLUMNS, files, formats), first).encode("utf-8")


def _cells(columns: list[Column], rows: list[dict], formats: dict) -> list[list[tuple[object, object]]]:
    return [[_cell(column, row, formats) for column in columns] for row in rows]


def _cell(column: Column, row: dict, formats: dict) -> tuple[object, object]:
    """`row`'s value in `column`, with its format."""
    value = column.value(row)
    return value, formats[_kind(column.kind, value, row)]


def _kind(kind: str, value: object, row: dict) -> str:
    """A figure in the catalogue's measure: 亿元 with two decimals, whole counts without any."""
    if kind != "value" or not isinstance(value, (int, float)):
        return kind
    return "yi" if row.get("measure") == "亿元" or not float(value).is_integer() else "int"
