"""The backtest of 预计全年 (docs/marts.md §3.8): how far each method's full-year projection is from the year's
actual, by the month it is made from.

The zone is the benchmark's generator (bench/generate.py, fixed seed, its seasonal curve) over six years,
BACKTEST units × indicators, read from the generator's own record of every value (no files, no run): the zone
figures are summed as docs/marts.md §3.3 says (a `sum` indicator over its units, a `reported` one from its
responsible unit), then mubiao's own model, warehouse/core/indicator_projections.sql, projects every year from every
month with both methods. Only the years with a prior year (2017 on) are scored, so both methods are compared on the
same (indicator, year, month) cells. Error: |projection − December's value| ÷ December's value, in %.

Run:  python -m bench.backtest
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from bench.generate import Spec, all_values, indicators
from mubiao.warehouse.model_files import model_named

BACKTEST = Spec(units=30, indicators=24, months=72, projects=0)
"""2016–2021: five years with a prior year to score; months 1–11 (December's projection is December)."""
METHODS = {"seasonal_value": "季节占比 seasonal share", "pace_value": "按序时 pace"}


def zone_figures(spec: Spec = BACKTEST) -> list[tuple[str, int, int, float, str]]:
    """(indicator, year, month, zone value, measure) from the generator's values, bad rows left out."""
    catalogue = {code: (aggregation, unit, measure) for code, _, measure, aggregation, unit in indicators(spec)}
    figures: dict[tuple[str, int, int], float] = defaultdict(float)
    for v in all_values(spec):
        aggregation, responsible, _ = catalogue[v.indicator_code]
        if v.bad is None and (aggregation == "sum" or v.unit_code == responsible):
            figures[(v.indicator_code, v.year, v.month)] += float(v.value)
    return [(code, year, month, value, catalogue[code][2]) for (code, year, month), value in figures.items()]


def backtest(spec: Spec = BACKTEST) -> dict:
    """Per method and month 1–11: cells, median and 90th-percentile absolute % error; and the method with the lower
    median error over all months."""
    con = duckdb.connect()
    con.execute("create schema core")
    con.execute(
        "create table core.zone_indicator_values "
        "(indicator_code varchar, year integer, month integer, value double, yoy_pct double, measure varchar)"
    )
    con.executemany(
        "insert into core.zone_indicator_values values (?, ?, ?, ?, null, ?)",
        zone_figures(spec),
    )
    con.execute(f"create table core.indicator_projections as {model_named('core.indicator_projections').sql}")
    errors = ", ".join(f"abs({column} - actual.value) / actual.value * 100 as {column}" for column in METHODS)
    con.execute(
        f"""
        create table errors as
        select projection.month, {errors}
        from core.indicator_projections as projection
        join core.zone_indicator_values as actual
            on actual.indicator_code = projection.indicator_code and actual.year = projection.year
            and actual.month = 12
        where projection.prior_years > 0 and projection.month < 12 and actual.value > 0"""
    )
    summary: dict = {"years": sorted({y for _, y, *_ in zone_figures(spec)})[1:], "by_month": {}, "overall": {}}
    for method in METHODS:
        rows = con.execute(
            f"""select month, count(*), median({method}), quantile_cont({method}, 0.9)
            from errors group by month order by month"""
        ).fetchall()
        summary["by_month"][method] = {m: {"cells": n, "median": med, "p90": p90} for m, n, med, p90 in rows}
        med, p90 = con.execute(f"select median({method}), quantile_cont({method}, 0.9) from errors").fetchone()
        summary["overall"][method] = {"median": med, "p90": p90}
    summary["better"] = min(METHODS, key=lambda m: summary["overall"][m]["median"])
    return summary


def report(summary: dict) -> None:
    """The table: by month, each method's median and 90th-percentile absolute % error."""
    seasonal, pace = (summary["by_month"][m] for m in METHODS)
    years = summary["years"]
    print(
        f"\nbacktest of 预计全年: {years[0]}–{years[-1]} projected from each month (absolute % error of the full year)"
    )
    print(
        f"{'month':>5}  {'cells':>5}  {'seasonal median':>15}  {'seasonal p90':>12}  {'pace median':>11}  {'pace p90':>8}"
    )
    for month in sorted(seasonal):
        s, p = seasonal[month], pace[month]
        print(
            f"{month:>5}  {s['cells']:>5}  {s['median']:>14.1f}%  {s['p90']:>11.1f}%  {p['median']:>10.1f}%  {p['p90']:>7.1f}%"
        )
    s, p = (summary["overall"][m] for m in METHODS)
    print(f"{'all':>5}  {'':>5}  {s['median']:>14.1f}%  {s['p90']:>11.1f}%  {p['median']:>10.1f}%  {p['p90']:>7.1f}%")
    print(f"lower error: {METHODS[summary['better']]}")


def main() -> None:
    report(backtest())


if __name__ == "__main__":
    main()
