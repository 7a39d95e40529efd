"""催报: one notice (通知) per unit that still owes submissions for a month, as a workbook for the feedback folder.

A unit owes when its marts.submission_status row for the month is 未报送, 缺报 or 无法读取, or, for a kind nobody
has reported for the month yet (so before the due day, when 催报 is sent), when the reporting obligations
(core.reporting_obligations) say it owes anything that month. The notice names what is owed, the due date and the last month received of each kind. Writing a month again first removes that month's
earlier notices, so a unit that has since sent everything no longer has one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.kinds import kind_label
from mubiao.foundation.vocabulary import SUBMISSION_STATUS
from mubiao.foundation.zone import DEFAULT_DUE_DAY, ZONE_TIME
from mubiao.report.table_book import TableBook

OWING = ("missing", "partial", "unreadable")
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Owed:
    """What one unit still owes for the month, kind by kind."""

    unit_code: str
    unit_name: str
    kinds: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """指标数据缺 2 项；项目进度未报送 — for a console line or a webhook message."""
        return "；".join(
            f"{kind_label(k['kind'])}{SUBMISSION_STATUS[k['status']]}（缺 {len(k['missing'])} 项）" for k in self.kinds
        )


_OWED = """
with status as (
    select * from marts.submission_status where year = $year and month = $month
),
obligations as (
    select unit_code, kind, item
    from core.reporting_obligations
    where coalesce(year, $year) = $year and list_contains(months, $month)
),
item_names as (
    select 'indicator_values' as kind, indicator_code as item, indicator_name as item_name
    from core.indicators where is_latest
    union all
    select 'project_progress', project_code, project_name from core.current_projects
),
untracked as (  -- owed for a month whose kind nobody has reported yet
    select obligations.unit_code, obligations.kind, 'missing' as status,
        list(coalesce(item_names.item_name, obligations.item) order by obligations.item) as missing_names,
        (make_date($year, $month, 1) + interval 1 month)::date
            + (coalesce((select arg_max(due_day, built_at) from audit.builds), $default_due_day) - 1)
            as due_date
    from obligations
    left join item_names using (kind, item)
    where (obligations.unit_code, obligations.kind) not in (select unit_code, kind from status)
    group by all
),
owed as (
    select unit_code, kind, status, missing_names, due_date from status where status in (select unnest($owing))
    union all
    select * from untracked
),
received as (
    select unit_code, kind, max(year * 100 + month) as last_received
    from marts.submission_status
    where received_items > 0 and year * 100 + month < $year * 100 + $month
    group by all
)
select owed.unit_code, coalesce(units.unit_name, owed.unit_code), owed.kind, owed.status, owed.missing_names,
    owed.due_date, received.last_received
from owed
left join received using (unit_code, kind)
left join (select unit_code, unit_name from core.units where is_latest) as units using (unit_code)
order by owed.unit_code, owed.kind"""
"""Each (unit, kind) still owed for ($year, $month), with its missing items, due date and last month received."""


def read_owed(con: duckdb.DuckDBPyConnection, year: int, month: int) -> list[Owed]:
    """The units that still owe for (year, month), with their last month received of each kind.

    A kind that nobody has reported for the month yet has no marts.submission_status rows: every unit that owes
    it (core.reporting_obligations) owes all of it, 未报送, due on the warehouse's due day of the next month.
    """
    rows = con.execute(
        _OWED,
        {"year": year, "month": month, "owing": list(OWING), "default_due_day": DEFAULT_DUE_DAY},
    ).fetchall()
    units: dict[str, Owed] = {}
    for code, name, kind, status, missing, due_date, last in rows:
        units.setdefault(code, Owed(code, name)).kinds.append(
            {
                "kind": kind,
                "status": status,
                "missing": [str(m) for m in missing],
                "due_date": due_date,
                "last_received": f"{last // 100}年{last % 100}月" if last else "本年尚未收到",
            }
        )
    return list(units.values())


def reminder_folder(warehouse: Path, year: int, month: int) -> Path:
    """Where a month's notices go by default: the feedback folder beside the warehouse."""
    return warehouse.resolve().parent / "feedback" / f"{year}-{month:02d}"


def month_owed(today: dt.date) -> tuple[int, int]:
    """The month whose submissions fall due this month: the month before `today`'s."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def due_date(year: int, month: int, due_day: int) -> dt.date:
    """Submissions for (year, month) are due on `due_day` of the following month."""
    return dt.date(year + month // 12, month % 12 + 1, due_day)


def overdue_message(year: int, month: int, due: dt.date, written: list[tuple[Owed, Path]]) -> tuple[str, str]:
    """(subject, body) of the list sent after the due day: one line per unit that still owes."""
    subject = f"{year}年{month}月统计数据逾期未报齐：{len(written)} 个单位（截止 {due:%Y年%m月%d日}）"
    lines = [f"{unit.unit_name}（{unit.unit_code}）：{unit.summary()}" for unit, _ in written]
    return subject, "\n".join(lines) or "全部单位均已报齐。"


def write_reminders(con: duckdb.DuckDBPyConnection, year: int, month: int, folder: Path) -> list[tuple[Owed, Path]]:
    """One notice per unit that owes, in `folder`; returns each unit with its file.

    A month not yet over (zone time) is refused: nothing can be owed for it yet.
    """
    today = dt.datetime.now(ZONE_TIME).date()
    if (year, month) >= (today.year, today.month):
        raise MubiaoError(f"{year}年{month}月尚未结束，还不能催报（可催报的最近月份是上个月）")
    slug = f"{year}-{month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{slug}_催报通知_*.xlsx"):
        stale.unlink()
    written = []
    for unit in read_owed(con, year, month):
        path = folder / _UNSAFE_IN_NAMES.sub("_", f"{slug}_催报通知_{unit.unit_code}_{unit.unit_name}.xlsx")
        _write_notice(path, year, month, unit)
        written.append((unit, path))
    return written


def _write_notice(path: Path, year: int, month: int, unit: Owed) -> None:
    due = min(k["due_date"] for k in unit.kinds)
    with TableBook(path) as book:
        notice = book.sheet("通知", ["项目", "内容"])
        notice.row(["致", f"{unit.unit_name}（{unit.unit_code}）"])
        notice.row(["事由", f"催报{year}年{month}月（1-{month}月累计）统计数据"])
        notice.row(["报送截止日期", due])
        notice.row(
            [
                "内容",
                f"截至目前，贵单位{year}年{month}月的以下报送尚未收齐，请于{due:%Y年%m月%d日}前报送。明细见“应报未报”表。",
            ]
        )
        owed = book.sheet("应报未报", ["报送类别", "状态", "未收到的项目", "项数", "报送截止日期", "最近收到的月份"])
        for kind in unit.kinds:
            owed.row(
                [
                    kind_label(kind["kind"]),
                    SUBMISSION_STATUS[kind["status"]],
                    "、".join(kind["missing"]) or "（整份未收到）",
                    len(kind["missing"]),
                    kind["due_date"],
                    kind["last_received"],
                ]
            )
