"""A zone taken in month by month, as an office runs mubiao, ends with the warehouse a single run over every file
gives: every table and view the same, row for row (only audit.builds, the log of builds, differs in length)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from bench.generate import PROGRESS_DIR, REFERENCE_DIR, VALUES_DIR, Spec, generate, months

SPEC = Spec(units=6, indicators=5, months=15, projects=8)  # across a year's end, so that growth has a year before
RUN_TIMES = {"built_at", "seen_at", "run_at"}
"""Columns that say when a run ran, not what it found."""
LAYERS = ("raw", "staging", "core", "marts", "audit")


def contents(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table and view of the layers, its rows sorted, without the run-time columns and audit.builds."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            """
            select schema_name, table_name from duckdb_tables() where list_contains($layers, schema_name)
            union all
            select schema_name, view_name from duckdb_views() where not internal and list_contains($layers, schema_name)
            """,
            {"layers": list(LAYERS)},
        ).fetchall()
        found = {}
        for schema, name in relations:
            if (schema, name) == ("audit", "builds"):
                continue
            columns = [row[0] for row in con.execute(f'describe "{schema}"."{name}"').fetchall()]
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIMES)
            found[f"{schema}.{name}"] = con.execute(f'select {kept} from "{schema}"."{name}" order by all').fetchall()
        return found


def test_month_by_month_equals_one_run(run, mubiao, tmp_path: Path):
    zone = tmp_path / "zone"
    generate(SPEC, zone, processes=1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copytree(zone / REFERENCE_DIR, inbox / REFERENCE_DIR)
    shutil.copy2(zone / "收文登记.csv", inbox)
    for year, month in months(SPEC):
        period = f"{year}年{month:02d}月"
        shutil.copytree(zone / VALUES_DIR / period, inbox / VALUES_DIR / period)
        (inbox / PROGRESS_DIR).mkdir(exist_ok=True)
        shutil.copy2(zone / PROGRESS_DIR / f"{period}_项目进度.csv", inbox / PROGRESS_DIR)
        monthly = run(inbox)
    once = tmp_path / "once" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(zone), "--warehouse", str(once))

    by_month, at_once = contents(monthly), contents(once)
    assert sorted(by_month) == sorted(at_once)
    assert {"marts.target_completion", "marts.submission_status", "audit.files", "core.indicator_months"} <= set(
        at_once
    )
    for name in at_once:
        assert by_month[name] == at_once[name], name
    assert len(at_once["audit.files"]) > SPEC.files and at_once["marts.target_completion"]
