"""Key-project charts, drawn by matplotlib as inline SVG whose text stays text (set in the embedded CJK font); the
预计全年 panels are written directly (report/panels.py)."""

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
