"""Who has reported for a month, read from marts.submission_status and shown as a units × kinds table.

A cell says in Chinese what holds for a unit and a kind: 按时报齐 (complete),
迟报 (late: everything came, after the due date), 缺报 (partial: some owed items
are not loaded), 未报送 (missing: nothing came), 无法读取 (a file came that could
not be read, with its name and why), and how many rows were
quarantined (隔离). Times are shown in the zone's time (Asia/Shanghai), dates with their year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from rich.table import Table
from rich.text import Text

from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.foundation.vocabulary import SUBMISSION_STATUS
from mubiao.foundation.zone import ZONE_TIME
from mubiao.pipelines.parsers.periods import PeriodError, parse_period
from mubiao.warehouse.published import connect_published

KIND_LABELS = {"indicator_values": "指标数据", "project_progress": "项目进度"}
STATUS_STYLES = {
    "complete": "green",
    "late": "yellow",
    "partial": "dark_orange",
    "missing": "red",
    "unreadable": "magenta",
}
NAMES_SHOWN = 3


@dataclass(frozen=True)
class KindStatus:
    """One row of marts.submission_status: what a unit owed of one kind for the month, and what came."""

    kind: str
    status: str
    expected_items: int
    received_items: int
    missing_items: list[str]
    missing_names: list[str]
    rows_quarantined: int
    first_received_at: dt.datetime | None
    last_received_at: dt.datetime | None
    due_date: dt.date
    unreadable_files: list[str] = field(default_factory=list)
    unreadable_reasons: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return SUBMISSION_STATUS[self.status]


@dataclass
class UnitStatus:
    unit_code: str
    unit_name: str
    unit_type: str
    kinds: dict[str, KindStatus] = field(default_factory=dict)


@dataclass
class PeriodStatus:
    year: int
    month: int
    due_date: dt.date
    units: list[UnitStatus]

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def counts(self) -> Counter:
        """Cells per status, and the quarantined rows under the key 'quarantined'."""
        counts: Counter = Counter()
        for unit in self.units:
            for cell in unit.kinds.values():
                counts[cell.status] += 1
                counts["quarantined"] += cell.rows_quarantined
        return counts


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a warehouse that exists."""
    require_warehouse(warehouse)
    return connect_published(warehouse)


def resolve_period(con: duckdb.DuckDBPyConnection, text: str | None) -> tuple[int, int]:
    """(year, month) of `--period`, or the latest month tracked in the warehouse."""
    if text is not None:
        try:
            return parse_period(text)
        except PeriodError as error:
            raise MubiaoError(f"--period {error}（例如 2017-06 或 2017年6月）") from None
    latest = fetch(con, "select max(year * 100 + month) from marts.submission_status")[0][0]
    if latest is None:
        raise MubiaoError("仓库中还没有报送跟踪数据（先运行 mubiao run）")
    return divmod(latest, 100)


def read_status(con: duckdb.DuckDBPyConnection, year: int, month: int) -> PeriodStatus:
    """Every unit's cells for one month; a month nothing is tracked for is an error that names the tracked span."""
    rows = fetch(
        con,
        """
        select unit_code, coalesce(unit_name, unit_code), coalesce(unit_type, ''), kind, status,
            expected_items, received_items, missing_items, missing_names, rows_quarantined,
            first_received_at, last_received_at, due_date, unreadable_files, unreadable_reasons
        from marts.submission_status
        where year = ? and month = ?
        order by unit_code, kind""",
        year,
        month,
    )
    if not rows:
        spans = fetch(
            con,
            """
            select year, min(month), max(month) from marts.submission_status group by year order by year""",
        )
        tracked = "、".join(
            f"{y}年{first}月" if first == last else f"{y}年{first}月至{last}月" for y, first, last in spans
        )
        raise MubiaoError(
            f"{year}年{month}月没有需要跟踪的报送（{'已跟踪 ' + tracked if spans else '仓库中还没有报送跟踪数据'}）"
        )
    units: dict[str, UnitStatus] = {}
    for code, name, unit_type, kind, *cells in rows:
        unit = units.setdefault(code, UnitStatus(code, name, unit_type))
        status, expected, received, missing, names, quarantined, first, last, due, unreadable, reasons = cells
        unit.kinds[kind] = KindStatus(
            kind,
            status,
            expected,
            received,
            list(missing),
            list(names),
            quarantined,
            _zone_time(first),
            _zone_time(last),
            due,
            list(unreadable),
            list(reasons),
        )
    due_date = max(cell.due_date for unit in units.values() for cell in unit.kinds.values())
    return PeriodStatus(year, month, due_date, list(units.values()))


def describe(cell: KindStatus) -> str:
    """What holds for one unit and kind, in Chinese: 按时报齐 / 迟报（…） / 缺报n/m：… / 未报送 / 无法读取：文件（原因），
    and 隔离 n 行."""
    if cell.status == "late":
        arrived = f"，{date_label(cell.last_received_at)}送达" if cell.last_received_at else ""
        text = f"迟报（截止{date_label(cell.due_date)}{arrived}）"
    elif cell.status == "partial":
        names = "、".join(cell.missing_names[:NAMES_SHOWN]) + ("等" if len(cell.missing_names) > NAMES_SHOWN else "")
        text = f"缺报{len(cell.missing_items)}/{cell.expected_items}：{names}"
    elif cell.status == "unreadable":
        text = "；".join(
            f"无法读取：{name}（{reason}）"
            for name, reason in zip(cell.unreadable_files, cell.unreadable_reasons, strict=True)
        )
    elif cell.status == "missing":
        text = f"未报送（应报 {cell.expected_items} 项）" if cell.expected_items else "未报送"
    else:
        text = SUBMISSION_STATUS[cell.status]
    if cell.rows_quarantined:
        text += f"；隔离 {cell.rows_quarantined} 行"
    return text


def render(period: PeriodStatus) -> tuple[Table, Text]:
    """The units × kinds table, and the one-line count per status under it."""
    kinds = [k for k in KIND_LABELS if any(k in unit.kinds for unit in period.units)]
    table = Table(title=f"{period.label} 报送情况（截止 {period.due_date:%Y-%m-%d}）", title_justify="left")
    table.add_column("单位代码", no_wrap=True)
    table.add_column("单位名称", no_wrap=True)
    for kind in kinds:
        table.add_column(KIND_LABELS[kind], overflow="fold")
    for unit in period.units:
        cells = [
            Text(describe(unit.kinds[k]), style=STATUS_STYLES[unit.kinds[k].status])
            if k in unit.kinds
            else Text("—", style="dim")
            for k in kinds
        ]
        table.add_row(unit.unit_code, unit.unit_name, *cells)
    counts = period.counts()
    summary = Text("合计（单位×类别）：")
    for status, label in SUBMISSION_STATUS.items():
        summary.append(f"{label} {counts[status]}", style=STATUS_STYLES[status] if counts[status] else "dim")
        summary.append("  ·  ")
    summary.append(f"隔离 {counts['quarantined']} 行", style="red" if counts["quarantined"] else "dim")
    return table, summary


def date_label(value: dt.date | dt.datetime) -> str:
    """A date in full, 2017年12月3日: the data's year is seldom the reader's."""
    return f"{value.year}年{value.month}月{value.day}日"


def _zone_time(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(ZONE_TIME)


def fetch(con: duckdb.DuckDBPyConnection, sql: str, *params) -> list[tuple]:
    """Rows of a query; a warehouse built before submission tracking is a one-line error."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.CatalogException:
        raise MubiaoError("仓库中没有报送跟踪数据集市 marts.submission_status（用本版 mubiao run 重建）") from None
