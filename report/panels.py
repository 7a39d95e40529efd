"""The 预计全年 chart: one small panel per target, written as SVG text directly.

matplotlib drew these panels in about a second for the S zone's 32 targets, most of it measuring text for a layout
that never changes; here the layout is fixed (three panels a row, a panel's frame at fixed offsets) and the drawing is
a few lines of SVG per panel. Coordinates are in points, as matplotlib's SVG had them, printed to two decimals, so
the same data makes the same bytes.
"""

from __future__ import annotations

import math
from html import escape

from mubiao.report.fonts import FAMILY
from mubiao.report.labels import number

PROJECTED, TARGET, ACTUAL, BEHIND, GRID, INK = "#0969da", "#8c959f", "#24292f", "#cf222e", "#d0d7de", "#000000"
COLUMNS = 3
CELL_W, CELL_H = 230.4, 180.0
"""A panel's cell, in points: the figure is 9.6 in wide and 2.5 in a row, as matplotlib's was."""
LEFT, RIGHT, TOP, BOTTOM = 36.0, 8.0, 26.0, 24.0
"""The frame's margins within its cell: room for the y labels, the title and the months."""
X_MAX = 12.5
MONTH_TICKS = (3, 6, 9, 12)


def projection_chart(projections: list[dict], paths: dict[str, list[dict]]) -> str:
    """One small panel per target with a projection: the year-to-date path (level targets: the cumulative value;
    the others: the cumulative growth), the target's path (序时 for a level target, the rule's growth otherwise),
    and the projection from the standing month to December, with the prior years' range where there is one."""
    shown = [p for p in projections if p["method"] and charted(p, paths.get(p["indicator_code"], []))]
    if not shown:
        return ""
    rows = -(-len(shown) // COLUMNS)
    width, height = CELL_W * COLUMNS, CELL_H * rows + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}pt" height="{height:.1f}pt" '
        f'viewBox="0 0 {width:.1f} {height:.1f}" version="1.1" font-family="{FAMILY}" font-size="8">'
    ]
    for index, projection in enumerate(shown):
        row, column = divmod(index, COLUMNS)
        frame = Frame(column * CELL_W + LEFT, row * CELL_H + TOP)
        parts.append(panel(frame, projection, paths[projection["indicator_code"]]))
    parts.append("</svg>")
    return "\n".join(parts)


def charted(projection: dict, path: list[dict]) -> bool:
    """A panel needs a projection and at least one month of the figure it plots."""
    figure = "actual_value" if projection["target_type"] == "level" else "actual_yoy_pct"
    projected = projection["projected_value" if projection["target_type"] == "level" else "projected_yoy_pct"]
    return projected is not None and any(r[figure] is not None for r in path)


class Frame:
    """A panel's frame: its top-left corner in points and, once `scale`d, its y range."""

    width, height = CELL_W - LEFT - RIGHT, CELL_H - TOP - BOTTOM

    def __init__(self, left: float, top: float) -> None:
        self.left, self.top = left, top
        self.bottom = top + self.height
        self.low, self.high = 0.0, 1.0

    def x(self, month: float) -> str:
        return f"{self.left + month / X_MAX * self.width:.2f}"

    def y(self, value: float) -> str:
        return f"{self.bottom - (value - self.low) / (self.high - self.low) * self.height:.2f}"

    def points(self, months: list[float], values: list[float]) -> str:
        return " ".join(f"{self.x(m)},{self.y(v)}" for m, v in zip(months, values, strict=True))


def panel(frame: Frame, projection: dict, path: list[dict]) -> str:
    level = projection["target_type"] == "level"
    figure = "actual_value" if level else "actual_yoy_pct"
    path = [r for r in path if r[figure] is not None]
    months, actual = [r["as_of_month"] for r in path], [r[figure] for r in path]
    projected = projection["projected_value" if level else "projected_yoy_pct"]
    low, high = projection["projected_yoy_low"], projection["projected_yoy_high"]
    band = not level and low is not None
    ticks = _scale(frame, projection, [*actual, projected])
    drawn = _axes(frame, projection, ticks)
    dashed = f'stroke="{TARGET}" stroke-width="1.2" stroke-dasharray="4.44,1.92" fill="none"'
    if level:
        drawn.append(f'<polyline points="{frame.points([0, 12], [0, projection["target_value"]])}" {dashed}/>')
    elif projection["required"] is not None:
        y = frame.y(projection["required"])
        drawn.append(f'<line x1="{frame.x(0)}" y1="{y}" x2="{frame.x(X_MAX)}" y2="{y}" {dashed}/>')
    if band:
        outline = frame.points([months[-1], 12, 12, months[-1]], [actual[-1], low, high, actual[-1]])
        drawn.append(f'<polygon points="{outline}" fill="{PROJECTED}" fill-opacity="0.12"/>')
    colour = BEHIND if projection["projected_status"] == "likely_missed" else PROJECTED
    drawn.append(_line(frame, months, actual, ACTUAL, 'stroke-width="1.4"'))
    drawn.append(
        _line(
            frame, [months[-1], 12], [actual[-1], projected], colour, 'stroke-width="1.6" stroke-dasharray="1.6,2.64"'
        )
    )
    unit = projection["measure"] if level else "%"
    drawn.append(
        f'<text text-anchor="end" x="{float(frame.x(12)) - 4:.2f}" y="{float(frame.y(projected)) - 6:.2f}" '
        f'fill="{colour}">{escape(number(projected) + unit)}</text>'
    )
    return "<g>" + "".join(drawn) + "</g>"


def _line(frame: Frame, months: list[float], values: list[float], colour: str, stroke: str) -> str:
    """A polyline with a dot at each point, as matplotlib's `marker="o", markersize=3` with its edge."""
    dots = "".join(f'<circle cx="{frame.x(m)}" cy="{frame.y(v)}" r="2"/>' for m, v in zip(months, values, strict=True))
    line = f'<polyline points="{frame.points(months, values)}" fill="none" stroke="{colour}" {stroke}/>'
    return f'{line}<g fill="{colour}">{dots}</g>'


def _scale(frame: Frame, projection: dict, plotted: list[float]) -> list[float]:
    """Fit the frame's height to what is `plotted` and the target (or its band); its y ticks."""
    level = projection["target_type"] == "level"
    bounds = [*plotted, projection["target_value" if level else "required"]]
    bounds += [] if level else [projection["projected_yoy_low"], projection["projected_yoy_high"]]
    bounds = [b for b in bounds if b is not None]
    low, high = min(bounds), max(bounds)
    pad = (high - low) * 0.15 or 1
    frame.low, frame.high = (0 if level else low - pad), high + pad
    return nice_ticks(frame.low, frame.high)


def _axes(frame: Frame, projection: dict, ticks: list[float]) -> list[str]:
    """The title, the y grid and labels, the left and bottom spines and the months."""
    left, bottom, right = f"{frame.left:.2f}", f"{frame.bottom:.2f}", f"{frame.left + frame.width:.2f}"
    title = f"{projection['indicator_name']}（{projection['target_text']}）"
    drawn = [
        f'<text text-anchor="middle" font-size="9" x="{frame.left + frame.width / 2:.2f}" y="{frame.top - 6:.2f}">{escape(title)}</text>'
    ]
    decimals = max((len(f"{t:.6g}".partition(".")[2]) for t in ticks if abs(t) < 1e5), default=0)
    for tick in ticks:
        y = frame.y(tick)
        drawn.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{GRID}" stroke-width="0.5"/>')
        drawn.append(
            f'<line x1="{frame.left - 3.5:.2f}" y1="{y}" x2="{left}" y2="{y}" stroke="{INK}" stroke-width="0.8"/>'
        )
        drawn.append(
            f'<text text-anchor="end" x="{frame.left - 5.5:.2f}" y="{float(y) + 2.8:.2f}">{tick_label(tick, decimals)}</text>'
        )
    for month in MONTH_TICKS:
        x = frame.x(month)
        drawn.append(
            f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{frame.bottom + 3.5:.2f}" stroke="{INK}" stroke-width="0.8"/>'
        )
        drawn.append(f'<text text-anchor="middle" x="{x}" y="{frame.bottom + 14:.2f}">{month}月</text>')
    spines = f"{left},{frame.top:.2f} {left},{bottom} {right},{bottom}"
    drawn.append(f'<polyline points="{spines}" fill="none" stroke="{INK}" stroke-width="0.8"/>')
    return drawn


def nice_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """The multiples of the smallest step of 1, 2, 2.5 or 5 × 10ⁿ that cuts [low, high] into at most `most` parts
    (matplotlib's MaxNLocator, as the panels' axes had it), within [low, high]."""
    raw = (high - low) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw * (1 - 1e-9))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def tick_label(value: float, decimals: int) -> str:
    """A y label: 12.5, or 120万 for a figure of a hundred thousand or more (matplotlib wrote 1.2 over a 1e6)."""
    if abs(value) >= 1e5:
        return f"{number(value / 1e4)}万"
    return f"{value:.{decimals}f}"
