"""audit.warnings against the rule of docs/submissions.md §2.10 worked out row by row in Python, on restated
random series; and month by month, where a build rewrites only the months touched and those compared with them."""

from __future__ import annotations

import datetime as dt
import random
import re

import duckdb
import pytest

from mubiao.warehouse.models import apply_schema, build_models
from tests.test_build_periods import built, receive
from tests.test_models import REFERENCES, value

UNITS, INDICATORS, PROJECTS, YEARS = ("U1", "U2", "U3"), ("GDP", "FAI"), ("P1", "P2", "P3"), (2016, 2017)


def _files(count: int) -> list[dict]:
    start = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    return [
        {"seq": seq, "sha256": f"{seq:064x}", "received_at": start + dt.timedelta(days=seq)}
        for seq in range(1, count + 1)
    ]


def _versions(rng: random.Random, keys: list[tuple], files: list[dict]) -> list[dict]:
    """Every key in the first file, a third of them restated in each later one; values that mostly rise."""
    versions = []
    for number, file in enumerate(files):
        chosen = keys if number == 0 else rng.sample(keys, len(keys) // 3)
        for row_number, key in enumerate(chosen, start=2):
            value = float(key[-1] * 10 + rng.choice((-25, -10, 0, 0, 5, 10)))  # ties and falls included
            versions.append(
                {
                    "key": key,
                    "seq": file["seq"],
                    "sha256": file["sha256"],
                    "row_number": row_number,
                    "value": value,
                    "yoy_pct": rng.choice((None, 3.0, 40.0, -20.0)),
                }
            )
    return versions


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory):
    rng = random.Random(20171)
    files = _files(4)
    value_keys = [(u, i, y, m) for u in UNITS for i in INDICATORS for y in YEARS for m in range(1, 13)]
    progress_keys = [(p, y, m) for p in PROJECTS for y in YEARS for m in range(1, 13)]
    values, progress = _versions(rng, value_keys, files), _versions(rng, progress_keys, files)
    con = duckdb.connect(str(tmp_path_factory.mktemp("warnings") / "w.duckdb"))
    apply_schema(con)
    con.executemany(
        "insert into audit.files values (?, ?, ?, null, ?, 'loaded', 0, 0, 0, null, 0)",
        [(f["seq"], f"f{f['seq']}.csv", f["sha256"], f["received_at"]) for f in files],
    )
    con.executemany(
        "insert into staging.indicator_values values (?, null, ?, ?, ?, ?, ?, ?, '万元', ?, '万元', ?, null)",
        [(v["sha256"], v["row_number"], *v["key"], v["value"], v["value"], v["yoy_pct"]) for v in values],
    )
    con.executemany(
        "insert into staging.project_progress values (?, null, ?, ?, ?, ?, ?, null, null, null)",
        [(v["sha256"], v["row_number"], *v["key"], v["value"]) for v in progress],
    )
    build_models(con)
    found = con.execute("select sha256, row_number, kind, key, warning from audit.warnings").fetchall()
    con.close()
    return values, progress, found


def _latest(versions: list[dict]) -> dict[tuple, dict]:
    latest: dict[tuple, dict] = {}
    for version in sorted(versions, key=lambda v: v["seq"]):
        latest[version["key"]] = version
    return latest


def _decreases(versions: list[dict]) -> dict[tuple, tuple[int, float]]:
    """(sha256, row_number) → (month, value) of the highest latest value of an earlier month that year."""
    latest, flagged = _latest(versions), {}
    for version in versions:
        *series, month = version["key"]
        earlier = [(v["value"], m) for m in range(1, month) if (v := latest.get((*series, m)))]
        if earlier and max(earlier)[0] > version["value"]:
            value, month_named = max(earlier)
            flagged[version["sha256"], version["row_number"]] = (month_named, value)
    return flagged


def _named(found: list[tuple], kind: str, pattern: str) -> dict[tuple, tuple[int, float]]:
    named = {}
    for sha, row_number, found_kind, _, warning in found:
        if found_kind == kind and (match := re.search(pattern, warning)):
            named[sha, row_number] = (int(match[1]), float(match[2]))
    return named


def test_a_value_below_an_earlier_month_names_the_highest_of_them(zone):
    values, _, found = zone
    expected = _decreases(values)
    assert len(expected) > 20
    assert _named(found, "indicator_values", r"低于\d+年(\d+)月的([\d.]+)万元") == expected


def test_progress_below_an_earlier_month_names_the_highest_of_them(zone):
    _, progress, found = zone
    expected = _decreases(progress)
    assert len(expected) > 10
    assert _named(found, "project_progress", r"低于\d+年(\d+)月的([\d.]+)亿元") == expected


def test_a_growth_rate_is_checked_against_last_years_latest_value(zone):
    values, _, found = zone
    latest = _latest(values)
    expected = set()
    for version in values:
        unit, indicator, year, month = version["key"]
        prior = latest.get((unit, indicator, year - 1, month))
        if (
            version["yoy_pct"] is not None
            and prior
            and prior["value"] > 0
            and abs(version["yoy_pct"] - (version["value"] / prior["value"] - 1) * 100) > 5
        ):
            expected.add((version["sha256"], version["row_number"]))
    assert len(expected) > 20
    assert {(sha, row) for sha, row, _, _, warning in found if "同比增长" in warning} == expected


LAST_YEAR = [value("T01", "FAI", 2016, month, month * 10) for month in range(1, 13)]
MONTHLY = [  # onto T01's FAI of LAST_YEAR, each step's warnings after a build of the months it touched
    ("2017-02.csv", [value("T01", "FAI", 2017, 1, 11, 10.0), value("T01", "FAI", 2017, 2, 30, 50.0)], []),
    ("2017-03.csv", [value("T01", "FAI", 2017, 3, 25, -16.67)], ["T01/FAI/2017-03 累计值"]),
    # February restated below March: March's warning goes, though no March row arrived
    ("2017-02-更正.csv", [value("T01", "FAI", 2017, 2, 20, 0.0)], []),
    # above February's latest version, below the one it replaced: the months folded before April take the latest
    ("2017-04.csv", [value("T01", "FAI", 2017, 4, 26, -35.0)], []),
    # last year's March restated: this March's growth no longer agrees, and 2016's April falls below it
    ("2016-03-更正.csv", [value("T01", "FAI", 2016, 3, 50)], ["T01/FAI/2016-04 累计值", "T01/FAI/2017-03 同比增长"]),
]


def test_a_month_s_build_recomputes_the_warnings_that_compare_with_it():
    con = duckdb.connect()
    apply_schema(con)
    for name, tables in REFERENCES.items():
        receive(con, name, *next(iter(tables.items())))
    receive(con, "2016.csv", "indicator_values", LAST_YEAR)
    build_models(con, since_last_build=True)
    for name, rows, expected in MONTHLY:
        receive(con, name, "indicator_values", rows)
        build_models(con, since_last_build=True)
        assert con.execute("select count(*) from params.build_months").fetchone()[0] < 24, name  # not every month
        checks = "select key || ' ' || regexp_extract(warning, '^[^-0-9]+') from audit.warnings order by all"
        found = con.execute(checks).fetchall()
        assert [warning for (warning,) in found] == expected, name
        by_month = built(con)
        build_models(con)
        assert built(con) == by_month, name
