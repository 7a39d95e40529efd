"""A second, small zone end to end: real files through `mubiao run`, marts checked against plain Python.

The zone below (codes Z01–Z05, years 2019–2021) shares nothing with the
bundled default data. 2020 is a finished year (data through month 12), 2021 a
running one (data through month 6). Every expected figure is computed here
from the same dictionaries the files are written from (docs/marts.md §3, §5).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query
from tests.synthetic_zone import (
    BAD_ROW,
    CATEGORY_READ_AS,
    INDICATORS,
    PROGRESS,
    PROGRESS_YEAR,
    PROJECTS,
    RULES,
    TARGETS,
    TO_CANONICAL,
    UNITS,
    VALUES,
    write_zone,
)


@pytest.fixture
def warehouse(run, tmp_path: Path) -> Path:
    return run(write_zone(tmp_path / "inbox"))


# ---------------------------------------------------------------- expected figures, in plain Python


def number(text: str) -> float:
    return float(text.replace(",", ""))


def zone_figures() -> dict[tuple[str, int, int], tuple[float, float | None]]:
    """(indicator, year, month) → (zone value in the catalogue's measure, yoy_pct), per docs/marts.md §3.3."""
    sums: dict[tuple[str, int, int], float] = {}
    figures: dict[tuple[str, int, int], tuple[float, float | None]] = {}
    for x in VALUES:
        _, _, aggregation, responsible = INDICATORS[x["ind"]]
        key = (x["ind"], *x["ym"])
        value = number(x["value"]) * TO_CANONICAL[x["measure"]]
        if aggregation == "sum":
            sums[key] = sums.get(key, 0.0) + value
        elif x["unit"] == responsible:
            figures[key] = (value, x["yoy"])
    for (code, year, month), total in sums.items():
        prior = sums.get((code, year - 1, month))
        figures[(code, year, month)] = (total, None if prior is None else round((total / prior - 1) * 100, 2))
    return figures


def as_of_month(year: int) -> int:
    return max(month for (_, y, month) in zone_figures() if y == year)


def expected_targets() -> dict[tuple[int, str], dict]:
    figures = zone_figures()
    rows = {}
    for (year, code), (text, unit) in TARGETS.items():
        kind, target, tolerance, reference = RULES[text]
        month = as_of_month(year)
        progress = month / 12
        value, yoy = figures.get((code, year, month), (None, None))
        reference_yoy = figures.get((reference, year, month), (None, None))[1]
        match kind:  # the figure judged, and the bar it must reach (docs/submissions.md §2.9, docs/marts.md §3.7)
            case "growth":
                actual, bar = yoy, target - (tolerance or 0)
            case "stable":
                actual, bar = yoy, 0.0
            case "sync":
                actual, bar = yoy, reference_yoy
            case "level":  # actual/target ≥ time progress
                actual, bar = value, target * (1 if month == 12 else progress)
            case "assigned":
                actual, bar = None, None
        if kind == "assigned" or actual is None or bar is None:
            status = "pending"
        elif month == 12:
            above = kind in ("growth", "level") and actual > target
            status = "exceeded" if actual >= bar and above else "met" if actual >= bar else "not_met"
        else:
            status = "on_track" if actual >= bar else "behind"
        rows[(year, code)] = {
            "responsible_unit": unit or INDICATORS[code][3],
            "target_text": text,
            "target_type": kind,
            "target_value": target,
            "as_of_month": month,
            "actual_value": value,
            "actual_yoy_pct": yoy,
            "time_progress_pct": round(progress * 100, 2),
            "completion_pct": round(value / target * 100, 2) if kind == "level" and value is not None else None,
            "status": status,
        }
    return rows


def project_states(month: int) -> dict[str, tuple[float, str]]:
    """project → (completed_ytd in 亿元, status) at `month`: the latest report at or before it (docs/marts.md §3.4)."""
    states = {code: (0.0, "未开工") for code in PROJECTS}
    for m in sorted(PROGRESS):
        if m <= month:
            for code, amount, measure, status in PROGRESS[m]:
                states[code] = (number(amount) * TO_CANONICAL[measure], status)
    return states


def in_yi(code: str, field: int) -> float | None:
    text = PROJECTS[code][field]
    return number(text) * TO_CANONICAL[PROJECTS[code][6]] if text else None


def expected_by_category() -> dict[tuple[int, str], dict]:
    rows = {}
    for month in [0, *PROGRESS]:
        states = project_states(month)
        groups: dict[str, list[str]] = {}
        for code, p in PROJECTS.items():
            groups.setdefault(CATEGORY_READ_AS.get(p[2], p[2]), []).append(code)
        for category, codes in groups.items():
            plans = [in_yi(c, 5) for c in codes if in_yi(c, 5) is not None]
            plan = sum(plans) if plans else None
            done = sum(states[c][0] for c in codes)
            rows[(month, category)] = {
                "project_count": len(codes),
                "total_investment": sum(in_yi(c, 4) for c in codes),
                "annual_plan": plan,
                "completed_ytd": done,
                "completion_pct": round(done / plan * 100, 2) if plan else None,
                "time_progress_pct": round(month / 12 * 100, 2),
                "started_count": sum(states[c][1] in ("已开工", "竣工", "投产") for c in codes),
                "finished_count": sum(states[c][1] in ("竣工", "投产") for c in codes),
            }
    return rows


def expected_scorecard() -> dict[tuple[int, str], dict]:
    targets = expected_targets()
    last = max(PROGRESS)
    states = project_states(last)
    rows = {}
    for year in sorted({y for y, _ in TARGETS} | {PROGRESS_YEAR}):
        for unit in UNITS:
            mine = [t["status"] for (y, _), t in targets.items() if y == year and t["responsible_unit"] == unit]
            projects = [c for c, p in PROJECTS.items() if p[0] == year and p[3] == unit]
            behind = [c for c in projects if in_yi(c, 5) and states[c][0] / in_yi(c, 5) < last / 12]
            rows[(year, unit)] = {
                "unit_name": UNITS[unit][0],
                "targets_total": len(mine),
                "targets_met": sum(s in ("met", "exceeded", "on_track") for s in mine),
                "targets_behind": sum(s in ("not_met", "behind") for s in mine),
                "projects_total": len(projects),
                "projects_behind": len(behind),
                "rows_quarantined": int((year, unit) == (BAD_ROW["ym"][0], BAD_ROW["unit"])),
            }
    return rows


def approx_row(row: dict) -> dict:
    return {k: pytest.approx(x, abs=1e-6) if isinstance(x, float) else x for k, x in row.items()}


# ---------------------------------------------------------------- the tests


def test_the_expected_figures_cover_every_case():
    """Guards the inputs: a future edit must not quietly drop a status or type this file exists to check."""
    statuses = {(t["as_of_month"], t["target_type"], t["status"]) for t in expected_targets().values()}
    assert {(12, "growth", s) for s in ("exceeded", "met", "not_met")} <= statuses
    assert {
        (12, "level", "exceeded"),
        (12, "level", "met"),
        (12, "stable", "not_met"),
        (12, "sync", "met"),
        (12, "assigned", "pending"),
        (12, "growth", "pending"),
    } <= statuses
    assert {
        (6, "growth", "on_track"),
        (6, "growth", "behind"),
        (6, "level", "on_track"),
        (6, "level", "behind"),
        (6, "stable", "on_track"),
        (6, "sync", "behind"),
        (6, "assigned", "pending"),
        (6, "growth", "pending"),
    } <= statuses
    assert zone_figures()[("FAI", 2020, 12)] == (pytest.approx(42.5), 8.14)
    assert zone_figures()[("RET", 2020, 12)] == (pytest.approx(42.5), None)


def test_only_the_bad_row_is_quarantined(warehouse):
    rows = query(warehouse, "select kind, unit_code, year, reasons from audit.quarantine")
    assert [(r["kind"], r["unit_code"], r["year"]) for r in rows] == [("indicator_values", "Z03", 2021)]
    assert "XYZ" in rows[0]["reasons"]


def test_annual_review(warehouse):
    figures = zone_figures()
    expected = {
        (year, code): {
            "indicator_name": INDICATORS[code][0],
            "value": value,
            "measure": INDICATORS[code][1],
            "yoy_pct": yoy,
        }
        for (code, year, month), (value, yoy) in figures.items()
        if month == 12
    }
    rows = query(warehouse, "select * from marts.annual_review")
    got = {
        (r["year"], r["indicator_code"]): {k: r[k] for k in ("indicator_name", "value", "measure", "yoy_pct")}
        for r in rows
    }
    assert len(rows) == len(got)
    assert got == {key: approx_row(row) for key, row in expected.items()}
    # The hand-checked anchors: 万元 → 亿元, a computed growth, a missing prior year, reported growth kept.
    assert got[(2020, "REV")]["value"] == pytest.approx(8.82)
    assert got[(2020, "FAI")]["yoy_pct"] == pytest.approx(8.14)
    assert got[(2020, "RET")]["yoy_pct"] is None
    assert got[(2020, "GDP")] == {
        "indicator_name": "生产总值",
        "value": pytest.approx(161.4),
        "measure": "亿元",
        "yoy_pct": pytest.approx(7.3),
    }
    assert got[(2020, "GRN")]["value"] == pytest.approx(1500.0)


COLUMNS = [
    "responsible_unit",
    "target_text",
    "target_type",
    "target_value",
    "as_of_month",
    "actual_value",
    "actual_yoy_pct",
    "time_progress_pct",
    "completion_pct",
    "status",
]


def test_target_completion(warehouse):
    rows = query(warehouse, "select * from marts.target_completion")
    got = {(r["year"], r["indicator_code"]): {k: r[k] for k in COLUMNS} for r in rows}
    assert len(rows) == len(got)
    assert got == {key: approx_row(row) for key, row in expected_targets().items()}
    assert {k: got[k]["status"] for k in got if k[0] == 2020} == {
        (2020, "GDP"): "exceeded",
        (2020, "IND"): "met",
        (2020, "FAI"): "not_met",
        (2020, "REV"): "not_met",
        (2020, "JOB"): "exceeded",
        (2020, "GRN"): "met",
        (2020, "EXP"): "not_met",
        (2020, "INC"): "met",
        (2020, "ENV"): "pending",
        (2020, "NOV"): "pending",
    }
    assert {k: got[k]["status"] for k in got if k[0] == 2021} == {
        (2021, "GDP"): "on_track",
        (2021, "IND"): "behind",
        (2021, "FAI"): "on_track",
        (2021, "REV"): "pending",
        (2021, "JOB"): "behind",
        (2021, "GRN"): "on_track",
        (2021, "EXP"): "on_track",
        (2021, "INC"): "behind",
        (2021, "ENV"): "pending",
    }
    assert got[(2021, "JOB")]["completion_pct"] == pytest.approx(46.67)
    assert got[(2021, "GDP")]["actual_value"] == pytest.approx(80.3)  # month 6, not the Q1 figure


def test_project_investment_by_category(warehouse):
    columns = [
        "project_count",
        "total_investment",
        "annual_plan",
        "completed_ytd",
        "completion_pct",
        "time_progress_pct",
        "started_count",
        "finished_count",
    ]
    rows = query(warehouse, "select * from marts.project_investment_by_category where year = ?", PROGRESS_YEAR)
    got = {(r["as_of_month"], r["category"]): {k: r[k] for k in columns} for r in rows}
    assert len(rows) == len(got)
    assert got == {key: approx_row(row) for key, row in expected_by_category().items()}
    assert sorted({m for m, _ in got}) == [0, 3, 5, 6]
    assert got[(0, "城建")]["total_investment"] == pytest.approx(12.5)  # 基础设施 8.0 + 城建 45,000 万元
    assert got[(6, "前期")]["completion_pct"] is None
    assert got[(3, "社会事业")]["started_count"] == 0  # P07 has not reported yet; P06 said 未开工


def test_unit_scorecard(warehouse):
    columns = [
        "unit_name",
        "targets_total",
        "targets_met",
        "targets_behind",
        "projects_total",
        "projects_behind",
        "rows_quarantined",
    ]
    rows = query(warehouse, "select * from marts.unit_scorecard")
    got = {(r["year"], r["unit_code"]): {k: r[k] for k in columns} for r in rows}
    assert len(rows) == len(got)
    assert got == expected_scorecard()
    assert got[(2021, "Z03")] == {
        "unit_name": "西岭镇",
        "targets_total": 1,
        "targets_met": 1,
        "targets_behind": 0,
        "projects_total": 2,
        "projects_behind": 0,
        "rows_quarantined": 1,
    }
    assert got[(2021, "Z05")] == {
        "unit_name": "社会保障局",
        "targets_total": 2,
        "targets_met": 0,
        "targets_behind": 2,
        "projects_total": 2,
        "projects_behind": 1,
        "rows_quarantined": 0,
    }
