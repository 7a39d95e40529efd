"""A zone taken in month by month, as an office runs mubiao, ends with the warehouse a single run over every file
gives: every table and view the same, row for row (only audit.builds, the log of builds, differs in length).
The months are taken in by the command in its own process, and again through a warm worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.generate import PROGRESS_DIR, REFERENCE_DIR, VALUES_DIR, Spec, generate, months
from tests.conftest import contents

SPEC = Spec(units=6, indicators=5, months=15, projects=8)  # across a year's end, so that growth has a year before
BUILDS = ("audit.builds", "params.build_months")  # the build's record, and the months it wrote


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    """The zone, and what one cold run over all of it leaves: shared by the cold and the warm months."""
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    zone = tmp_path_factory.mktemp("zone")
    generate(SPEC, zone, processes=1)
    once = tmp_path_factory.mktemp("once") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(zone), "--warehouse", str(once)])
    assert result.exit_code == 0, result.output
    return zone, contents(once, leave_out=BUILDS)


def test_month_by_month_equals_one_run(zone, mubiao, worker_mode, tmp_path: Path):
    zone, at_once = zone
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copytree(zone / REFERENCE_DIR, inbox / REFERENCE_DIR)
    shutil.copy2(zone / "收文登记.csv", inbox)
    monthly = tmp_path / "wh" / "warehouse.duckdb"
    worker_mode.serve(monthly)
    for year, month in months(SPEC):
        period = f"{year}年{month:02d}月"
        shutil.copytree(zone / VALUES_DIR / period, inbox / VALUES_DIR / period)
        (inbox / PROGRESS_DIR).mkdir(exist_ok=True)
        shutil.copy2(zone / PROGRESS_DIR / f"{period}_项目进度.csv", inbox / PROGRESS_DIR)
        worker_mode.ran(mubiao("run", "--inbox", str(inbox), "--warehouse", str(monthly)).output, monthly)

    by_month = contents(monthly, leave_out=BUILDS)
    assert sorted(by_month) == sorted(at_once)
    assert {"marts.target_completion", "marts.submission_status", "audit.files", "core.indicator_months"} <= set(
        at_once
    )
    for name in at_once:
        assert by_month[name] == at_once[name], name
    assert len(at_once["audit.files"]) > SPEC.files and at_once["marts.target_completion"]
