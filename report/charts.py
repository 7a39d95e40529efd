"""Key-project charts, completion by category and by unit: horizontal bars written as SVG directly, its text kept as
text (set in the embedded CJK font). The layout is fixed by the row count and the labels' width, as matplotlib's
tight layout had it, without measuring text; the 预计全年 panels are in report/panels.py."""

from __future__ import annotations

import unicodedata
from html import escape

from mubiao.report.fonts import FAMILY
from mubiao.report.labels import number
from mubiao.report.panels import nice_ticks, tick_label

ON_TRACK, BEHIND, PLAN, GRID, NOTE, INK = "#2da44e", "#cf222e", "#8fb8de", "#d0d7de", "#57606a", "#000000"
WIDTH, ROW, EXTRA = 460.8, 30.24, 79.2
"""The figure is 6.4 in wide and 0.42 in a row plus 1.1 in, in points."""
PAD, TOP, BOTTOM = 10.8, 17.0, 42.15
"""The figure's padding and the frame's margins above (the 序时进度 note) and below (the ticks and the x label)."""
BAR = 0.8
MARGIN = 0.05
"""A bar's height in rows, and the space above and below the bars as a share of their span."""


def progress_chart(rows: list[dict], label: str, time_progress: float | None) -> str:
    """Horizontal bars of completion % per row (`label` names it), against a line at time progress, first row on
    top. Without progress reports yet, the bars are the annual plan in 亿元 instead."""
    names = [str(r[label] or "—") for r in rows]
    if time_progress is None:
        values = [r["annual_plan"] or 0 for r in rows]
        colours = [PLAN] * len(rows)
        texts = [f"{number(v)}亿元" for v in values]
        axis, high = "年度计划投资（亿元）", max([0, *values]) * (1 + MARGIN)
    else:
        values = [r["completion_pct"] or 0 for r in rows]
        colours = [ON_TRACK if v >= time_progress else BEHIND for v in values]
        texts = [
            f"{number(v, 1)}%（{number(r['completed_ytd'])}/{number(r['annual_plan'])}亿元）"
            if r["annual_plan"]
            else "无年度计划"
            for v, r in zip(values, rows, strict=True)
        ]
        axis, high = "年度计划完成率（%）", max([100.0, time_progress, *values]) * 1.45
    height = ROW * len(rows) + EXTRA
    left = PAD + max(text_width(name, 10) for name in names) + 7
    frame = Bars(left, height - BOTTOM, len(rows), min([0, *values]), high or 1)
    drawn = _frame(frame, names, axis)
    for row, (value, colour, text) in enumerate(zip(values, colours, texts, strict=True)):
        top, x0, x1 = frame.y(row, BAR / 2), frame.x(0), frame.x(value)
        drawn.append(
            f'<rect x="{min(x0, x1):.2f}" y="{top:.2f}" width="{abs(x1 - x0):.2f}" height="{frame.row * BAR:.2f}" '
            f'fill="{colour}"/>'
        )
        drawn.append(f'<text x="{x1 + 2:.2f}" y="{frame.y(row, 0) + 3:.2f}" font-size="8.5">{escape(text)}</text>')
    if time_progress is not None:
        x = frame.x(time_progress)
        drawn.append(
            f'<line x1="{x:.2f}" y1="{TOP:.2f}" x2="{x:.2f}" y2="{frame.bottom:.2f}" stroke="{NOTE}" stroke-width="1" '
            'stroke-dasharray="3.7,1.6"/>'
        )
        note = f"序时进度{number(time_progress, 1)}%"
        drawn.append(
            f'<text x="{x + 2:.2f}" y="{frame.y(-0.6, 0) - 1.1:.2f}" font-size="9" fill="{NOTE}">{note}</text>'
        )
    spines = f"{frame.left:.2f},{TOP:.2f} {frame.left:.2f},{frame.bottom:.2f} {WIDTH - PAD:.2f},{frame.bottom:.2f}"
    drawn.append(f'<polyline points="{spines}" fill="none" stroke="{INK}" stroke-width="0.8"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.1f}pt" height="{height:.2f}pt" '
        f'viewBox="0 0 {WIDTH:.1f} {height:.2f}" version="1.1" font-family="{FAMILY}" font-size="10">\n'
        + "\n".join(drawn)
        + "\n</svg>"
    )


class Bars:
    """The frame of `count` bars: x from `low` to `high` across it, a row's height in points."""

    def __init__(self, left: float, bottom: float, count: int, low: float, high: float) -> None:
        self.left, self.bottom, self.count, self.low, self.high = left, bottom, count, low, high
        self.width = WIDTH - PAD - left
        span = count - 1 + BAR
        self.row = (bottom - TOP) / (span * (1 + 2 * MARGIN))
        self.first = TOP + span * MARGIN * self.row + BAR / 2 * self.row  # the first (top) row's centre

    def x(self, value: float) -> float:
        return self.left + (value - self.low) / (self.high - self.low) * self.width

    def y(self, row: float, above: float) -> float:
        """The y of `row`'s centre (0 is the top row), `above` rows higher."""
        return self.first + (row - above) * self.row


def _frame(frame: Bars, names: list[str], axis: str) -> list[str]:
    """The x grid, ticks and label and the row names, under the bars."""
    drawn = []
    bottom = frame.bottom
    ticks = nice_ticks(frame.low, frame.high)
    decimals = max((len(f"{t:.6g}".partition(".")[2]) for t in ticks), default=0)
    for tick in ticks:
        x = frame.x(tick)
        drawn.append(
            f'<line x1="{x:.2f}" y1="{TOP:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        drawn.append(
            f'<line x1="{x:.2f}" y1="{bottom:.2f}" x2="{x:.2f}" y2="{bottom + 3.5:.2f}" stroke="{INK}" stroke-width="0.8"/>'
        )
        drawn.append(
            f'<text x="{x:.2f}" y="{bottom + 15.8:.2f}" text-anchor="middle">{tick_label(tick, decimals)}</text>'
        )
    middle = frame.left + frame.width / 2
    drawn.append(f'<text x="{middle:.2f}" y="{bottom + 29.8:.2f}" text-anchor="middle">{axis}</text>')
    for row, name in enumerate(names):
        y = frame.y(row, 0)
        drawn.append(
            f'<line x1="{frame.left - 3.5:.2f}" y1="{y:.2f}" x2="{frame.left:.2f}" y2="{y:.2f}" stroke="{INK}" stroke-width="0.8"/>'
        )
        drawn.append(f'<text x="{frame.left - 7:.2f}" y="{y + 3.5:.2f}" text-anchor="end">{escape(name)}</text>')
    return drawn


def text_width(text: str, size: float) -> float:
    """About how wide `text` sets at `size`: a full-width character 1 em, any other 0.55 em (Noto Sans CJK)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.55 * size for c in text)
