"""Key-project charts, drawn by matplotlib as inline SVG whose text stays text (set in the embedded CJK font)."""

from __future__ import annotations

import io

from mubiao.report.fonts import FAMILY, font_file
from mubiao.report.labels import number

ON_TRACK, BEHIND, PLAN, GRID = "#2da44e", "#cf222e", "#8fb8de", "#d0d7de"


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    if FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(font_file())
    plt.rcParams.update(
        {
            "font.family": [FAMILY],
            "svg.fonttype": "none",
            "svg.hashsalt": "mubiao",
            "axes.unicode_minus": False,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def progress_chart(rows: list[dict], label: str, time_progress: float | None) -> str:
    """Horizontal bars of completion % per row (`label` names it), against a line at time progress.

    Without progress reports yet, the bars are the annual plan in 亿元 instead.
    """
    plt = pyplot()
    names = [r[label] or "—" for r in rows][::-1]
    figure, axes = plt.subplots(figsize=(6.4, 0.42 * len(rows) + 1.1))
    if time_progress is None:
        values = [r["annual_plan"] or 0 for r in rows][::-1]
        axes.barh(names, values, color=PLAN)
        texts = [f"{number(v)}亿元" for v in values]
        axes.set_xlabel("年度计划投资（亿元）")
    else:
        values = [r["completion_pct"] or 0 for r in rows][::-1]
        colours = [ON_TRACK if v >= time_progress else BEHIND for v in values]
        axes.barh(names, values, color=colours)
        axes.axvline(time_progress, color="#57606a", linestyle="--", linewidth=1)
        axes.text(
            time_progress,
            len(rows) - 0.4,
            f" 序时进度{number(time_progress, 1)}%",
            color="#57606a",
            va="bottom",
            fontsize=9,
        )
        texts = [
            f"{number(v, 1)}%（{number(r['completed_ytd'])}/{number(r['annual_plan'])}亿元）"
            if r["annual_plan"]
            else "无年度计划"
            for v, r in zip(values, rows[::-1], strict=True)
        ]
        axes.set_xlabel("年度计划完成率（%）")
        axes.set_xlim(0, max([100.0, time_progress, *values]) * 1.45)
    for y, text in enumerate(texts):
        axes.text(values[y], y, f" {text}", va="center", fontsize=8.5)
    axes.xaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


PROJECTED, TARGET = "#0969da", "#8c959f"
CHART_COLUMNS = 3


def projection_chart(projections: list[dict], paths: dict[str, list[dict]]) -> str:
    """One small panel per target with a projection: the year-to-date path (level targets: the cumulative value;
    the others: the cumulative growth), the target's path (序时 for a level target, the rule's growth otherwise),
    and the projection from the standing month to December, with the prior years' range where there is one."""
    plt = pyplot()
    shown = [p for p in projections if p["method"] and _charted(p, paths.get(p["indicator_code"], []))]
    if not shown:
        return ""
    rows = -(-len(shown) // CHART_COLUMNS)
    figure, grid = plt.subplots(rows, CHART_COLUMNS, figsize=(9.6, 2.5 * rows + 0.3), squeeze=False)
    for axes in grid.flat[len(shown) :]:
        axes.set_visible(False)
    for axes, projection in zip(grid.flat, shown, strict=False):
        _projection_panel(axes, projection, paths[projection["indicator_code"]])
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _charted(projection: dict, path: list[dict]) -> bool:
    """A panel needs a projection and at least one month of the figure it plots."""
    figure = "actual_value" if projection["target_type"] == "level" else "actual_yoy_pct"
    projected = projection["projected_value" if projection["target_type"] == "level" else "projected_yoy_pct"]
    return projected is not None and any(r[figure] is not None for r in path)


def _projection_panel(axes, projection: dict, path: list[dict]) -> None:
    level = projection["target_type"] == "level"
    figure = "actual_value" if level else "actual_yoy_pct"
    path = [r for r in path if r[figure] is not None]
    months, actual = [r["as_of_month"] for r in path], [r[figure] for r in path]
    if level:
        projected = projection["projected_value"]
        axes.plot([0, 12], [0, projection["target_value"]], color=TARGET, linestyle="--", linewidth=1.2)
        unit = projection["measure"]
    else:
        projected = projection["projected_yoy_pct"]
        if projection["required"] is not None:
            axes.axhline(projection["required"], color=TARGET, linestyle="--", linewidth=1.2)
        unit = "%"
        if projection["projected_yoy_low"] is not None:
            axes.fill_between(
                [months[-1], 12],
                [actual[-1], projection["projected_yoy_low"]],
                [actual[-1], projection["projected_yoy_high"]],
                color=PROJECTED,
                alpha=0.12,
                linewidth=0,
            )
    missed = projection["projected_status"] == "likely_missed"
    axes.plot(months, actual, color="#24292f", marker="o", markersize=3, linewidth=1.4)
    axes.plot(
        [months[-1], 12],
        [actual[-1], projected],
        color=BEHIND if missed else PROJECTED,
        linestyle=":",
        linewidth=1.6,
        marker="o",
        markersize=3,
    )
    axes.annotate(
        f"{number(projected)}{unit}",
        (12, projected),
        textcoords="offset points",
        xytext=(-4, 6),
        ha="right",
        fontsize=8,
        color=BEHIND if missed else PROJECTED,
    )
    _frame_panel(axes, projection, [*actual, projected])


def _frame_panel(axes, projection: dict, plotted: list[float]) -> None:
    """The panel's title, axes and grid, its height fitting what is `plotted` and the target (or its band)."""
    level = projection["target_type"] == "level"
    bounds = [*plotted, projection["target_value" if level else "required"]]
    bounds += [] if level else [projection["projected_yoy_low"], projection["projected_yoy_high"]]
    bounds = [b for b in bounds if b is not None]
    low, high = min(bounds), max(bounds)
    pad = (high - low) * 0.15 or 1
    axes.set_ylim(0 if level else low - pad, high + pad)
    axes.set_title(f"{projection['indicator_name']}（{projection['target_text']}）", fontsize=9)
    axes.set_xlim(0, 12.5)
    axes.set_xticks([3, 6, 9, 12], ["3月", "6月", "9月", "12月"])
    axes.tick_params(labelsize=8)
    axes.yaxis.grid(True, color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
