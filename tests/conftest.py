"""Shared fixtures: one Prefect test harness per session, and a real `mubiao run` on a real DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import duckdb
import pytest
from typer.testing import CliRunner

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("MUBIAO_SETTLE_SECONDS", "0.2")  # test files are fresh: a short wait keeps the path exercised

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@pytest.fixture
def mubiao() -> Callable[..., "object"]:
    """Invoke the CLI in-process; fails the test on a non-zero exit unless `expect` says otherwise."""
    from mubiao.cli import app

    runner = CliRunner()

    def invoke(*args: str, expect: int = 0):
        result = runner.invoke(app, list(args))
        assert result.exit_code == expect, result.output + repr(result.exception)
        return result

    return invoke


@pytest.fixture
def run(mubiao, tmp_path: Path) -> Callable[[Path], Path]:
    """`mubiao run --inbox DIR` into the test's own warehouse file; returns the warehouse path."""
    warehouse = tmp_path / "wh" / "warehouse.duckdb"

    def go(inbox: Path) -> Path:
        mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
        return warehouse

    return go


def query(warehouse: Path, sql: str, *params) -> list[dict]:
    """Rows of a query on a finished warehouse, as dicts."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql, list(params))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


@pytest.fixture(scope="session")
def mubiao_process() -> Callable[..., subprocess.CompletedProcess]:
    """Run the installed `mubiao` as a user types it, in `cwd`, against the session's Prefect test server."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), COLUMNS="200", NO_COLOR="1")

    def invoke(*args: str, cwd: Path, expect: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([str(Path(sys.executable).with_name("mubiao")), *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == expect, done.stdout + done.stderr
        return done

    return invoke
