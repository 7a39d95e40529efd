"""A zone taken in month by month, as an office runs mubiao, ends with the warehouse a single run over every file
gives: every table and view the same, row for row (only audit.builds, the log of builds, differs in length)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.generate import PROGRESS_DIR, REFERENCE_DIR, VALUES_DIR, Spec, generate, months
from tests.conftest import contents

SPEC = Spec(units=6, indicators=5, months=15, projects=8)  # across a year's end, so that growth has a year before


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

    builds = ("audit.builds", "params.build_months")  # the build's record, and the months it wrote
    by_month, at_once = contents(monthly, leave_out=builds), contents(once, leave_out=builds)
    assert sorted(by_month) == sorted(at_once)
    assert {"marts.target_completion", "marts.submission_status", "audit.files", "core.indicator_months"} <= set(
        at_once
    )
    for name in at_once:
        assert by_month[name] == at_once[name], name
    assert len(at_once["audit.files"]) > SPEC.files and at_once["marts.target_completion"]
