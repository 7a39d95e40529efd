"""Shared fixtures: one Prefect test harness per session, and a real `mubiao run` on a real DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.warm_worker import Mode

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("MUBIAO_SETTLE_SECONDS", "0.2")  # test files are fresh: a short wait keeps the path exercised

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()  # as an office names its server: in the environment
        yield
        del os.environ["PREFECT_API_URL"]


@pytest.fixture
def mubiao() -> Callable[..., object]:
    """Invoke the CLI in-process; fails the test on a non-zero exit unless `expect` says otherwise."""
    from mubiao.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, expect: int = 0):
        result = runner.invoke(app, list(args))
        assert result.exit_code == expect, result.output + repr(result.exception)
        return result

    return invoke


@pytest.fixture(params=["cold", "warm"])
def worker_mode(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Mode]:
    """The test once with its runs in the command's own process, once through a warm worker it starts
    (tests/warm_worker.py); the workers it started are stopped after."""
    mode = Mode(request.param == "warm", tmp_path)
    yield mode
    mode.stop()


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
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


RUN_TIMES = {"built_at", "seen_at", "run_at", "restated_at"}
"""Columns that say when a run ran, not what it found: the only ones two runs of the same files may differ in."""
LAYERS = ("raw", "staging", "core", "marts", "audit", "params")
ON_DISK = ("audit.file_stats",)
"""Tables of how the inbox's files lie on disk (inodes, times), which two inboxes of the same files do not share."""


def contents(warehouse: Path, leave_out: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every table and view of the layers but `leave_out` (schema.name) and ON_DISK, its rows sorted, without
    RUN_TIMES: what two warehouses built from the same files must share."""
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
            if f"{schema}.{name}" in (*leave_out, *ON_DISK):
                continue
            columns = [row[0] for row in con.execute(f'describe "{schema}"."{name}"').fetchall()]
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIMES)
            found[f"{schema}.{name}"] = con.execute(f'select {kept} from "{schema}"."{name}" order by all').fetchall()
        return found


@pytest.fixture(scope="session")
def mubiao_process() -> Callable[..., subprocess.CompletedProcess]:
    """Run the installed `mubiao` as a user types it, in `cwd`, against the session's Prefect test server."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), COLUMNS="200", NO_COLOR="1")

    def invoke(*args: str, cwd: Path, expect: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(Path(sys.executable).with_name("mubiao")), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == expect, done.stdout + done.stderr
        return done

    return invoke


LOOKALIKES = ("mubiao", "report", "flows", "pipelines", "warehouse", "expectations", "foundation", "data")
"""Names of mubiao's own parts, which a user's folder may well hold (the pack's report/, a data/ folder …)."""


def plant_lookalikes(folder: Path) -> None:
    """A package of each LOOKALIKES name in `folder`, which fails whatever imports it."""
    for name in LOOKALIKES:
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} was imported from {folder}')\n")


INBOX = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\n",
    "catalogue.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n",
    "values.csv": "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\nU1,GDP,2016-12,113.1,亿元,\n"
    "U1,GDP,2017-12,124.3,亿元,9.9\n",
}
"""Three small submissions: a unit, an indicator, two years of its values."""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small warehouse built from INBOX, once per module: the SQL door's tests read it."""
    from mubiao.cli.main import app

    inbox = tmp_path_factory.mktemp("inbox")
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path_factory.mktemp("sql-door-wh") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


@pytest.fixture(scope="module")
def default_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`mubiao run` on the default zone: (warehouse, the pack folder it wrote)."""
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    warehouse = tmp_path_factory.mktemp("pack") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    folder = warehouse.parent / "report" / "2017"
    assert f"会议材料：{folder}" in result.output.replace("\n", "")
    return warehouse, folder
