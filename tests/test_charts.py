"""The pack's charts, written as SVG directly: the 预计全年 panels (report/panels.py) and the key projects' bars
(report/charts.py), their scale, labels, marks and escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from mubiao.report.charts import BEHIND, ON_TRACK, PLAN, progress_chart
from mubiao.report.panels import CELL_H, CELL_W, nice_ticks, projection_chart, tick_label

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (7.9, 14.6, [8, 9, 10, 11, 12, 13, 14]),
        (0, 1_380_000, [0, 200_000, 400_000, 600_000, 800_000, 1_000_000, 1_200_000]),
        (-3.4, 7.1, [-2, 0, 2, 4, 6]),
        (-0.4, 15.3, [0, 2, 4, 6, 8, 10, 12, 14]),
        (-0.4, 16.2, [0, 2.5, 5, 7.5, 10, 12.5, 15]),
        (4.8, 4.9, [4.8, 4.82, 4.84, 4.86, 4.88, 4.9]),
    ],
)
def test_the_y_ticks_are_round_steps_within_the_range(low, high, ticks):
    assert nice_ticks(low, high) == pytest.approx(ticks)


def test_tick_labels_share_their_decimals_and_large_figures_are_in_wan():
    assert [tick_label(t, 1) for t in (0, 2.5, 15)] == ["0.0", "2.5", "15.0"]
    assert [tick_label(t, 0) for t in (0, 200_000, 1_250_000)] == ["0", "20万", "125万"]


def projection(code: str, **fields) -> dict:
    growth = {
        "indicator_code": code,
        "indicator_name": f"指标{code}",
        "target_text": "增长8%",
        "target_type": "growth",
        "method": "ratio",
        "measure": "亿元",
        "target_value": 8.0,
        "required": 8.0,
        "projected_value": None,
        "projected_yoy_pct": 6.5,
        "projected_yoy_low": 5.0,
        "projected_yoy_high": 7.0,
        "projected_status": "likely_missed",
    }
    return {**growth, **fields}


def path(figure: str, values: list[float | None]) -> list[dict]:
    other = "actual_yoy_pct" if figure == "actual_value" else "actual_value"
    return [{"as_of_month": m, figure: v, other: None} for m, v in enumerate(values, start=1)]


def test_a_panel_per_charted_target_in_rows_of_three():
    projections = [
        projection("A"),
        projection("B", indicator_name="<b>&就业", target_type="level", target_value=120_000, measure="人",
                   projected_value=110_000, projected_status="likely_met"),
        projection("C", method=None),  # no projection: no panel
        projection("D", projected_yoy_pct=None),
        projection("E"),
        projection("F", projected_yoy_low=None, projected_yoy_high=None),
    ]  # fmt: skip
    paths = {
        "A": path("actual_yoy_pct", [5.5, 6.0, 7.5]),
        "B": path("actual_value", [8_000, 17_000, 26_000]),
        "C": path("actual_yoy_pct", [1.0]),
        "D": path("actual_yoy_pct", [1.0]),
        "E": path("actual_yoy_pct", [None, None]),  # no month of its figure yet: no panel
        "F": path("actual_yoy_pct", [None, 4.0]),
    }
    svg = projection_chart(projections, paths)
    root = ET.fromstring(svg)  # well-formed, names escaped
    assert root.get("viewBox") == f"0 0 {CELL_W * 3:.1f} {CELL_H + 8:.1f}"
    titles = [t.text for t in root.iter(f"{SVG}text") if t.get("font-size") == "9"]
    assert titles == ["指标A（增长8%）", "<b>&就业（增长8%）", "指标F（增长8%）"]
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("fill")] == ["6.5%", "110000人", "6.5%"]
    assert len(list(root.iter(f"{SVG}polygon"))) == 1, "the prior years' band where there is one"
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end" and not t.get("fill")]
    assert "12万" in labels and "0" in labels
    level_panel = list(root)[1]
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in level_panel.iter(f"{SVG}circle")]
    assert len(dots) == 3 + 2 and dots[2] == dots[3], "the path's dots, then the projection's from its last"
    assert dots[-1][0] == pytest.approx(CELL_W + 36 + 12 / 12.5 * (CELL_W - 44), abs=0.005)
    assert re.search(r"font-family=\"Noto Sans CJK SC\"", svg)


def test_no_panel_draws_nothing():
    assert projection_chart([projection("A", method=None)], {"A": path("actual_yoy_pct", [1.0])}) == ""


def unit(name: str | None, plan: float | None, done: float, pct: float | None) -> dict:
    return {"unit_name": name, "annual_plan": plan, "completed_ytd": done, "completion_pct": pct}


def test_progress_bars_put_the_first_row_on_top_each_name_its_own_row():
    rows = [unit("东区", 10, 9, 90.0), unit("<西区>", 4, 1, 25.0), unit("东区", None, 0, None), unit(None, 2, 2, 100.0)]
    root = ET.fromstring(progress_chart(rows, "unit_name", 75.0))
    bars = [(float(r.get("y")), float(r.get("width")), r.get("fill")) for r in root.iter(f"{SVG}rect")]
    assert [y for y, _, _ in bars] == sorted(y for y, _, _ in bars), "the first row on top"
    assert [fill for _, _, fill in bars] == [ON_TRACK, BEHIND, BEHIND, ON_TRACK]
    assert bars[0][1] == pytest.approx(bars[3][1] * 0.9, abs=0.01) and bars[2][1] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert [t for t in texts if t in ("东区", "<西区>", "—")] == ["东区", "<西区>", "东区", "—"]
    assert "90%（9/10亿元）" in texts and "无年度计划" in texts and "序时进度75%" in texts
    assert "年度计划完成率（%）" in texts


def test_progress_bars_before_any_report_show_the_plans():
    root = ET.fromstring(progress_chart([unit("东区", 3.5, 0, None), unit("西区", 12, 0, None)], "unit_name", None))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "3.5亿元" in texts and "12亿元" in texts and "年度计划投资（亿元）" in texts
    assert not any(t.startswith("序时进度") for t in texts)
    assert {r.get("fill") for r in root.iter(f"{SVG}rect")} == {PLAN}
