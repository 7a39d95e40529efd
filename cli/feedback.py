"""Feedback for a month (退回修改): one workbook per unit with something to fix, and an overview for the office.

The models say which units have something to fix and what (audit.feedback_units: quarantined rows to return,
audit.feedback_rows; warnings on rows that still count, audit.flagged_rows; missing items, a late or unreadable
submission, audit.submission_cells); this module writes their rows. A unit's workbook holds the sheets 说明,
退回修改 (each quarantined row as sent, then its file, sheet, row, reasons and, for a
unit code no unit is registered under, the closest registered unit),
疑似问题 and 未报送. Every cell that comes from a submission is written as
text, so a cell sent as `=1+1` stays `=1+1` and never becomes a formula.
The overview (报送情况汇总) has every unit × kind, and a sheet 无法归属 for the
month's rejected rows in a file that names no registered unit at all.
Writing a month again first removes that month's earlier unit workbooks from
the folder, so a unit that has fixed everything no longer has one.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from rich.table import Table

from mubiao.cli.status import KindStatus, PeriodStatus, UnitStatus, connect, fetch, read_status, resolve_period
from mubiao.foundation.kinds import INDICATOR_VALUES, kind_label, map_header
from mubiao.foundation.vocabulary import SUBMISSION_STATUS
from mubiao.foundation.whole_files import remove_half_written, written_whole
from mubiao.report.table_book import TableBook

TRAILING_COLUMNS = ["文件名", "工作表", "行号", "原因", "修改建议"]
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class QuarantinedRow:
    kind: str
    file_name: str
    sheet: str | None
    row_number: int
    reasons: str
    raw: dict[str, object]
    suggestion: str = ""
    """For a unit code no unit is registered under: that it was not recognised, and the closest registered unit."""


@dataclass(frozen=True)
class FlaggedRow:
    """A loaded row with a warning (audit.warnings)."""

    kind: str
    file_name: str
    sheet: str | None
    row_number: int
    item: str
    """What the row is about, in words: 新增造林面积 2017年7月."""
    warning: str


@dataclass
class UnitFeedback:
    """One row of audit.feedback_units, with the unit's cells, rows to return and flagged rows."""

    unit: UnitStatus
    needs_fixing: bool
    summary: str
    """What the unit's workbook holds, e.g. 退回 1 行；项目进度缺报 1 项；指标数据迟报."""
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    flagged: list[FlaggedRow] = field(default_factory=list)

    @property
    def missing(self) -> list[tuple[KindStatus, str, str]]:
        return [
            (cell, code, name)
            for cell in self.unit.kinds.values()
            for code, name in zip(cell.missing_items, cell.missing_names, strict=True)
        ]

    @property
    def unreadable(self) -> dict[str, str]:
        """The unit's files for the month that could not be read, each with why."""
        return {
            name: reason
            for cell in self.unit.kinds.values()
            for name, reason in zip(cell.unreadable_files, cell.unreadable_reasons, strict=True)
        }


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    unit_code: str
    unit_name: str
    contents: str


def read_feedback(
    con: duckdb.DuckDBPyConnection,
    period: PeriodStatus,
) -> tuple[list[UnitFeedback], list[QuarantinedRow]]:
    """Every unit of the month with its quarantined and flagged rows, in unit-code order; and the month's
    quarantined rows that name no registered unit and come in a file that names none either."""
    cells = {unit.unit_code: unit for unit in period.units}
    units = {
        code: UnitFeedback(cells.get(code) or UnitStatus(code, name, unit_type), needs_fixing, summary)
        for code, name, unit_type, needs_fixing, summary in fetch(con, FEEDBACK_UNITS, period.year, period.month)
    }
    unattributed: list[QuarantinedRow] = []
    registered = fetch(con, "select unit_code, unit_name from core.units where is_latest order by unit_code")
    for code, recognised, kind, file_name, sheet, row_number, reasons, raw in fetch(
        con, FEEDBACK_ROWS, period.year, period.month
    ):
        raw = json.loads(raw) if raw else {}
        sent = None if recognised or kind != INDICATOR_VALUES.name else _unit_sent(raw)
        row = QuarantinedRow(
            kind, file_name, sheet, row_number, reasons, raw, closest_unit(*sent, registered) if sent else ""
        )
        (units[code].quarantined if code else unattributed).append(row)
    for code, *flagged in fetch(con, FLAGGED_ROWS, period.year, period.month):
        units[code].flagged.append(FlaggedRow(*flagged))
    return list(units.values()), unattributed


FEEDBACK_UNITS = """
    select unit_code, unit_name, unit_type, needs_fixing, summary from audit.feedback_units
    where year = ? and month = ?
    order by unit_code
"""
FEEDBACK_ROWS = """
    select unit_code, unit_recognised, kind, file_name, sheet, row_number, reasons, raw from audit.feedback_rows
    where year = ? and month = ?
    order by unit_code, received_at, file_name, sheet nulls first, row_number
"""
FLAGGED_ROWS = """
    select unit_code, kind, file_name, sheet, row_number, item, warning from audit.flagged_rows
    where year = ? and month = ? and is_latest
    order by unit_code, file_name, sheet nulls first, row_number, warning
"""


def write_feedback(warehouse: Path, period_text: str | None, out: Path | None = None) -> tuple[Path, list[WrittenFile]]:
    """Write the unit workbooks and overview of `period_text`'s month (by default the latest tracked month, as in
    `mubiao status`); returns the folder and the files written, overview last."""
    with connect(warehouse) as con:
        period = read_status(con, *resolve_period(con, period_text))
        feedback, unattributed = read_feedback(con, period)
    folder = out or warehouse.resolve().parent / "feedback" / period.slug
    folder.mkdir(parents=True, exist_ok=True)
    remove_half_written(folder)
    for stale in folder.glob(f"{period.slug}_退回修改_*.xlsx"):
        stale.unlink()
    written = []
    for unit in (u for u in feedback if u.needs_fixing):
        path = folder / _safe_name(f"{period.slug}_退回修改_{unit.unit.unit_code}_{unit.unit.unit_name}.xlsx")
        write_unit_workbook(path, period, unit)
        written.append(WrittenFile(path, unit.unit.unit_code, unit.unit.unit_name, unit.summary))
    overview = folder / f"{period.slug}_报送情况汇总.xlsx"
    write_overview(overview, period, feedback, unattributed, {w.unit_code: w.path.name for w in written})
    cells = sum(len(u.unit.kinds) for u in feedback)
    contents = f"全部单位×类别 {cells} 项的报送情况" + (
        f"；无法归属的退回 {len(unattributed)} 行" if unattributed else ""
    )
    written.append(WrittenFile(overview, "", "（汇总）", contents))
    return folder, written


def write_unit_workbook(path: Path, period: PeriodStatus, unit: UnitFeedback) -> None:
    with written_whole(path) as partial, TableBook(partial) as book:
        notes = book.sheet("说明", ["项目", "内容"])
        notes.row(["单位", f"{unit.unit.unit_code} {unit.unit.unit_name}"])
        notes.row(["统计期", f"{period.label}（1-{period.month}月累计）"])
        notes.row(["报送截止日期", period.due_date])
        for cell in unit.unit.kinds.values():
            notes.row([cell.kind_label, (cell.description, cell.status)])
        for name, reason in unit.unreadable.items():
            notes.row(["无法读取的文件", f"{name}：{reason}。请检查文件后重新报送"])
        notes.row(["退回修改", f"{len(unit.quarantined)} 行：请按“原因”列改正后重新报送" if unit.quarantined else "无"])
        if unrecognised := sum(bool(row.suggestion) for row in unit.quarantined):
            notes.row(["单位未能识别", f"{unrecognised} 行：按所在文件归入本单位，请按“修改建议”列改正单位代码或名称"])
        notes.row(["疑似问题", f"{len(unit.flagged)} 条：请核实，数据无误的请说明情况" if unit.flagged else "无"])
        notes.row(["未报送", f"{len(unit.missing)} 项：请尽快补报" if unit.missing else "无"])
        notes.row(["行号", "数据行的序号，表头下第一行为 1"])

        _write_rejected(book, "退回修改", unit.quarantined)

        flagged = book.sheet("疑似问题", ["类别", "文件名", "工作表", "行号", "数据项", "问题"])
        for row in unit.flagged:
            flagged.row([kind_label(row.kind), row.file_name, row.sheet, row.row_number, row.item, row.warning])

        missing = book.sheet("未报送", ["类别", "代码", "名称", "截止日期"])
        for cell, code, name in unit.missing:
            missing.row([cell.kind_label, code, name, cell.due_date])


OVERVIEW_HEADER = ["单位代码", "单位名称", "单位类型", "类别", "状态", "情况", "应报项数", "已报项数", "缺报项数",
                   "缺报项目", "隔离行数", "疑似问题条数", "首次送达", "最后送达", "截止日期", "退回修改表"]  # fmt: skip


def write_overview(
    path: Path,
    period: PeriodStatus,
    feedback: list[UnitFeedback],
    unattributed: list[QuarantinedRow],
    files: dict[str, str],
) -> None:
    """Every unit × kind of the month, for the office; and the rejected rows no unit can be named for."""
    with written_whole(path) as partial, TableBook(partial) as book:
        table = book.sheet("报送情况", OVERVIEW_HEADER)
        for unit in feedback:
            for cell in unit.unit.kinds.values():
                table.row(_overview_row(unit, cell, files.get(unit.unit.unit_code, "")))
        counts = period.counts()
        notes = book.sheet("说明", ["项目", "内容"])
        notes.row(["统计期", f"{period.label}（1-{period.month}月累计）"])
        notes.row(["报送截止日期", period.due_date])
        for status, label in SUBMISSION_STATUS.items():
            notes.row([(label, status), counts[status]])
        notes.row(["隔离行数", counts["quarantined"]])
        notes.row(["退回修改表", len(files)])
        if unattributed:
            notes.row(["无法归属的退回行", f"{len(unattributed)} 行：文件中没有已登记的单位，见“无法归属”表"])
            _write_rejected(book, "无法归属", unattributed)


def _overview_row(unit: UnitFeedback, cell: KindStatus, workbook: str) -> list:
    """One unit's month of one kind, in OVERVIEW_HEADER's columns; the status cell in its colour."""
    status = unit.unit
    return [
        status.unit_code, status.unit_name, status.unit_type, cell.kind_label, (cell.status_label, cell.status),
        cell.description, cell.expected_items, cell.received_items, len(cell.missing_items),
        "、".join(cell.missing_names), cell.rows_quarantined, sum(row.kind == cell.kind for row in unit.flagged),
        cell.first_received_at, cell.last_received_at, cell.due_date, workbook,
    ]  # fmt: skip


def _unit_sent(raw: dict[str, object]) -> tuple[str, str] | None:
    """How a value row names its unit (单位代码, else 单位名称) and the text it sent."""
    columns = dict(zip(map_header(INDICATOR_VALUES, list(raw)).values(), raw.values(), strict=False))
    for column, given_as in (("unit_code", "单位代码"), ("unit_name", "单位名称")):
        if sent := str(columns.get(column) or "").strip():
            return given_as, sent
    return None


def closest_unit(given_as: str, sent: str, registered: list[tuple[str, str]]) -> str:
    """`单位名称“安阳乡”未能识别；最接近的已登记单位：XZ05 安阳城乡`, matching the text against codes and names."""
    scored = [
        (
            max(difflib.SequenceMatcher(None, sent, code).ratio(), difflib.SequenceMatcher(None, sent, name).ratio()),
            code,
            name,
        )
        for code, name in registered
    ]
    score, code, name = max(scored, key=lambda s: s[0], default=(0.0, "", ""))
    closest = f"最接近的已登记单位：{code} {name}" if score >= 0.4 else "没有相近的已登记单位，请核对单位名录"
    return f"{given_as}“{sent}”未能识别；{closest}"


def _write_rejected(book: TableBook, name: str, rows: list[QuarantinedRow]) -> None:
    """Quarantined rows as sent (the original columns in their order), then file, sheet, row, reasons and advice."""
    columns = list(dict.fromkeys(column for row in rows for column in row.raw))
    sheet = book.sheet(name, columns + TRAILING_COLUMNS)
    for row in rows:
        sheet.row(
            [_text(row.raw.get(column)) for column in columns]
            + [row.file_name, row.sheet, row.row_number, row.reasons, row.suggestion]
        )


def render_written(written: list[WrittenFile]) -> Table:
    table = Table(title="反馈文件", title_justify="left")
    for column in ("单位代码", "单位名称", "内容", "文件"):
        table.add_column(column, overflow="fold")
    for file in written:
        table.add_row(file.unit_code, file.unit_name, file.contents, file.path.name)
    return table


def _text(value: object) -> str | None:
    """A raw cell as sent, as text (JSON numbers and booleans included)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _safe_name(name: str) -> str:
    return _UNSAFE_IN_NAMES.sub("_", name)
