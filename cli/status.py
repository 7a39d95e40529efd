"""Who has reported for a month, read from audit.submission_cells and shown as a units × kinds table.

Each cell is the model's description of what holds for a unit and a kind: 按时报齐 (complete), 迟报 (late), 缺报
(partial), 未报送 (missing), 无法读取 (unreadable, with the file's name and why), and how many rows were quarantined
(隔离). Times are read in the zone's time (Asia/Shanghai).
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

STATUS_STYLES = {
    "complete": "green",
    "late": "yellow",
    "partial": "dark_orange",
    "missing": "red",
    "unreadable": "magenta",
}


@dataclass(frozen=True)
class KindStatus:
    """One row of audit.submission_cells: what a unit owed of one kind for the month, what came, and in words."""

    kind: str
    kind_label: str
    status: str
    status_label: str
    description: str
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
        select unit_code, unit_name, unit_type, kind, kind_label, status, status_label, description,
            expected_items, received_items, missing_items, missing_names, rows_quarantined,
            first_received_at, last_received_at, due_date, unreadable_files, unreadable_reasons
        from audit.submission_cells
        where year = ? and month = ?
        order by unit_code, kind""",
        year,
        month,
    )
    if not rows:
        raise MubiaoError(f"{year}年{month}月没有需要跟踪的报送（{_tracked(con)}）")
    units: dict[str, UnitStatus] = {}
    for code, name, unit_type, kind, *cells in rows:
        unit = units.setdefault(code, UnitStatus(code, name, unit_type))
        kind_label, status, status_label, said, expected, received, missing, names, quarantined, *rest = cells
        first, last, due, unreadable, reasons = rest
        unit.kinds[kind] = KindStatus(
            kind,
            kind_label,
            status,
            status_label,
            said,
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


def _tracked(con: duckdb.DuckDBPyConnection) -> str:
    """The months tracked, year by year: 已跟踪 2017年1月至9月."""
    spans = fetch(con, "select year, min(month), max(month) from audit.submission_cells group by year order by year")
    if not spans:
        return "仓库中还没有报送跟踪数据"
    return "已跟踪 " + "、".join(
        f"{y}年{first}月" if first == last else f"{y}年{first}月至{last}月" for y, first, last in spans
    )


def render(period: PeriodStatus) -> tuple[Table, Text]:
    """The units × kinds table, and the one-line count per status under it."""
    kinds = dict(sorted({k: c.kind_label for unit in period.units for k, c in unit.kinds.items()}.items()))
    table = Table(title=f"{period.label} 报送情况（截止 {period.due_date:%Y-%m-%d}）", title_justify="left")
    table.add_column("单位代码", no_wrap=True)
    table.add_column("单位名称", no_wrap=True)
    for label in kinds.values():
        table.add_column(label, overflow="fold")
    for unit in period.units:
        cells = [
            Text(unit.kinds[k].description, style=STATUS_STYLES[unit.kinds[k].status])
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


def _zone_time(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(ZONE_TIME)


def fetch(con: duckdb.DuckDBPyConnection, sql: str, *params) -> list[tuple]:
    """Rows of a query; a warehouse built before submission tracking is a one-line error."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.CatalogException:
        raise MubiaoError("仓库中没有报送跟踪的数据集市（用本版 mubiao run 重建）") from None
