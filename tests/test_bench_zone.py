"""A `tiny` zone from the benchmark's generator through `mubiao run`, its figures checked against the generated values.

bench/generate.py says what every row stands for (`all_values`); the zone
figures expected here are summed from that in plain Python (docs/marts.md §3.3), not
read back from the files.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from bench.generate import SIZES, all_values, bad_rows, generate, indicators
from tests.conftest import query

SPEC = SIZES["tiny"]


@pytest.fixture
def warehouse(run, tmp_path: Path) -> Path:
    generate(SPEC, tmp_path / "inbox", processes=1)
    return run(tmp_path / "inbox")


def expected_zone() -> dict[tuple[str, int, int], Decimal]:
    """(indicator, year, month) → zone figure: the sum over units, or the responsible unit's row."""
    catalogue = {code: (aggregation, unit) for code, _, _, aggregation, unit in indicators(SPEC)}
    figures: dict[tuple[str, int, int], Decimal] = defaultdict(Decimal)
    for v in all_values(SPEC):
        aggregation, responsible = catalogue[v.indicator_code]
        if v.bad is None and (aggregation == "sum" or v.unit_code == responsible):
            figures[(v.indicator_code, v.year, v.month)] += v.value
    return dict(figures)


def test_the_tiny_zone_has_every_case():
    """Guards the generator: both aggregations, three bad rows of three kinds, GBK and XLSX files."""
    assert {aggregation for _, _, _, aggregation, _ in indicators(SPEC)} == {"sum", "reported"}
    assert sorted(kind for _, kind in bad_rows(SPEC).values()) == ["bad_number", "bad_period", "unknown_unit"]
    assert sum(v.bad is not None for v in all_values(SPEC)) == 3
    # one zone figure is missing: the responsible unit's GDP row for 2016-01 is the bad number
    assert len(expected_zone()) == SPEC.indicators * SPEC.months - 1
    assert ("GDP", 2016, 1) not in expected_zone()


def test_a_tiny_bench_zone_through_mubiao_run(warehouse):
    """One run (about 10 s) checked three ways: zone figures, target actuals, quarantine."""
    expected = expected_zone()
    rows = query(warehouse, "select indicator_code, year, month, value, yoy_pct from core.zone_indicator_values")
    got = {(r["indicator_code"], r["year"], r["month"]): r["value"] for r in rows}
    assert len(rows) == len(got)
    assert got == {key: pytest.approx(float(value), rel=1e-12) for key, value in expected.items()}
    assert {r["yoy_pct"] for r in rows} == {None}  # tiny has no prior year, and reports none

    last = max(month for _, _, month in expected)
    rows = query(warehouse, "select indicator_code, as_of_month, actual_value from marts.target_completion")
    assert {r["indicator_code"]: (r["as_of_month"], r["actual_value"]) for r in rows} == {
        code: (last, pytest.approx(float(value), rel=1e-12))
        for (code, _, month), value in expected.items()
        if month == last
    }

    rows = query(warehouse, "select kind, reasons from audit.quarantine order by reasons")
    assert [r["kind"] for r in rows] == ["indicator_values"] * 3
    assert [r["reasons"].split("：")[0] for r in rows] == ["单位代码未登记", "本期累计值", "统计期无效"]
    files = query(
        warehouse,
        "select sum(rows_quarantined) as quarantined, sum(rows_loaded) as loaded "
        "from audit.files where kind = 'indicator_values'",
    )
    assert files == [{"quarantined": 3, "loaded": SPEC.rows - 3}]


def test_the_backtest_scores_both_projection_methods_and_seasonal_share_wins():
    """bench/backtest.py over the generator's seasonal six-year zone, through core/indicator_projections.sql."""
    from bench.backtest import backtest

    summary = backtest()
    assert summary["years"] == [2017, 2018, 2019, 2020, 2021] and summary["better"] == "seasonal_value"
    seasonal, pace = summary["by_month"]["seasonal_value"], summary["by_month"]["pace_value"]
    assert sorted(seasonal) == list(range(1, 12))
    for month in seasonal:
        assert seasonal[month]["median"] < pace[month]["median"] and seasonal[month]["p90"] <= pace[month]["p90"] * 1.01
        assert seasonal[month]["median"] > 0.1, "a path that differs from year to year, not a line"
