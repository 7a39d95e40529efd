"""How the pack writes things for readers: status names and colours, numbers, periods."""

from __future__ import annotations

from mubiao.foundation.kinds import kind_label  # noqa: F401  the pack's modules take it from here with the rest
from mubiao.foundation.vocabulary import (  # noqa: F401  the pack reads them here
    FILE_STATUS,
    PROJECTION_STATUS,
    SUBMISSION_STATUS,
    TARGET_STATUS,
)

COLOURS = {
    "exceeded": "#1a7f37",
    "met": "#2da44e",
    "on_track": "#2da44e",
    "behind": "#cf222e",
    "not_met": "#cf222e",
    "pending": "#8c959f",
}
STATUS = {code: (label, COLOURS[code]) for code, label in TARGET_STATUS.items()}
"""status → (label, colour): the statuses of docs/marts.md §3.7 as the office says them."""
BEHIND = {"behind", "not_met"}


TARGET_TYPES = {"growth": "增速", "level": "总量", "stable": "保持稳定", "sync": "同步增长", "assigned": "上级下达"}


def status_label(status: str) -> str:
    return STATUS.get(status, (status, ""))[0]


def status_colour(status: str) -> str:
    return STATUS.get(status, ("", "#8c959f"))[1]


def number(value: float | int | None, digits: int = 2) -> str:
    """A figure as a bulletin prints it: at most `digits` decimals, no trailing zeros, no separators (124.3, 3990)."""
    if value is None:
        return "—"
    text = f"{round(float(value), digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def growth(yoy_pct: float | None) -> str:
    """同比增长9.9% / 同比下降1.2%."""
    if yoy_pct is None:
        return ""
    return f"同比增长{number(yoy_pct)}%" if yoy_pct >= 0 else f"同比下降{number(-yoy_pct)}%"


def period(year: int, month: int) -> str:
    """The span a cumulative figure covers: 2017年1-9月, 2017年1月, 2017年全年 (2017年初: no month yet)."""
    if month <= 0:
        return f"{year}年初"
    if month >= 12:
        return f"{year}年全年"
    if month == 1:
        return f"{year}年1月"
    return f"{year}年1-{month}月"


def partial_note(target: dict) -> str:
    """10月未完整（已报2/5）: a later month than the one a target's figure stands on, with part of it in."""
    if not target.get("partial_month"):
        return ""
    return f"{target['partial_month']}月未完整（已报{target['partial_received']}/{target['partial_owed']}）"


def later_reports(pack) -> str:
    """10月已报 11/105 项: reports of a month after the one the projects stand on, which never replace it."""
    if not pack.later_month:
        return ""
    return f"{pack.later_month}月已报 {pack.later_reported}/{pack.projects_total} 项"


def carried_from(project: dict, month: int | None) -> str:
    """9月数: the month a project's figure was carried forward from, where it is not the month shown."""
    reported = project.get("reported_month")
    return f"{reported}月数" if reported and month and reported < month else ""


PROJECTION_COLOURS = {"likely_met": "#2da44e", "likely_missed": "#cf222e", "pending": "#8c959f"}


def projected_gap(projection: dict) -> str:
    """预计差57.14人 / 预计差0.5个百分点: how much a target is projected to miss by."""
    gap = projection.get("projected_gap")
    if gap is None or gap <= 0:
        return ""
    if projection["target_type"] == "level":
        return f"预计差{number(gap)}{projection['measure']}"
    return f"预计差{number(gap)}个百分点"
