"""A run killed at any moment leaves a warehouse that opens; the next run ends as a clean run would.

A real `mubiao run` subprocess is killed with SIGKILL at every checkpoint (foundation/checkpoints.py) and at
timed moments, during its second run: the first half of a synthetic zone is already published, the second half
arrives. The warm worker it hands its run to (flows/worker.py) is killed at four of the checkpoints, one in each
stretch of the run (before the private copy, loading it, before its rename, after publishing), and at the same
timed moments. After each kill the published warehouse must open and still hold exactly the first half (or,
killed after publishing, the whole); a new run, in its own process or in a new worker, must then give marts and
audit tables equal to a clean run's.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from mubiao.foundation.checkpoints import CHECKPOINTS
from mubiao.pipelines.intake.inbox import scan_inbox
from mubiao.warehouse.dictionary import VIEW
from mubiao.warehouse.model_files import read_models
from tests.synthetic_zone import write_zone
from tests.warm_worker import Mode, kill, start_worker

COMPARED = {
    **{model.name: "*" for model in read_models() if model.kind != VIEW},
    "audit.files": "seq, file_name, sha256, kind, received_at, status, rows_total, rows_loaded, "
    "rows_quarantined, error, size_bytes",
    "audit.quarantine": "*",
    "audit.validations": "* exclude (run_at)",
    "audit.builds": "count(*) > 0",
    **{
        f"staging.{kind}": "*"
        for kind in ("units", "indicators", "targets", "projects", "indicator_values", "project_progress")
    },
}


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every compared table's rows, in a stable order; opening the file is itself part of the check."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            table: con.execute(f"select {columns} from {table} order by all").fetchall()
            for table, columns in COMPARED.items()
        }


REFERENCE_FILES = ("units.csv", "指标目录.xlsx", "年度目标.csv", "重点项目.xlsx")


def _run(inbox: Path, warehouse: Path) -> str:
    """`mubiao run` in this process (or through the warehouse's worker, when one is up); what it said."""
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The full zone, its first half in arrival order (the references first), and what a clean run
    of the first half, then of the full zone, leaves in the warehouse."""
    root = tmp_path_factory.mktemp("zone")
    full = write_zone(root / "full")
    names = sorted(p.name for p in full.iterdir())
    order = [*REFERENCE_FILES, *(n for n in names if n not in REFERENCE_FILES)]
    for position, name in enumerate(order):
        os.utime(full / name, (1_600_000_000 + 60 * position,) * 2)
    first = root / "first"
    first.mkdir()
    arrivals = scan_inbox(full)
    for path, name, _ in arrivals[: len(arrivals) // 2]:
        shutil.copy2(path, first / name)
    clean = root / "clean" / "wh.duckdb"
    _run(first, clean)
    after_first = snapshot(clean)
    shutil.copytree(clean.parent, root / "published_first")
    _run(full, clean)
    return {
        "full": full,
        "published_first": root / "published_first",
        "after_first": after_first,
        "after_full": snapshot(clean),
    }


def _killed_run(
    zone: dict, work: Path, kill_at: str | None = None, after: float | None = None, mode: Mode | None = None
) -> int:
    """Publish the first half, then run on the full zone until killed; return the killed run's exit code (its
    client's, when `mode` is warm: the worker that runs it is the one killed)."""
    from prefect.settings import PREFECT_API_URL

    shutil.copytree(zone["published_first"], work, dirs_exist_ok=True)  # the first half, published
    warehouse = work / "wh.duckdb"
    worker = mode.serve(warehouse) if mode else None
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), MUBIAO_KILL_AT=kill_at or "")
    command = [
        str(Path(sys.executable).with_name("mubiao")),
        "run",
        "--inbox",
        str(zone["full"]),
        "--warehouse",
        str(warehouse),
    ]
    building = work / "wh.duckdb.building"
    with (work / "killed-run.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if after is not None:  # `after` seconds into the load: once its private copy exists
            deadline = time.monotonic() + 60
            while not building.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(after)
            kill(worker or process)  # the process that runs it, and its reading processes
        return process.wait(timeout=120)


def _recover_and_compare(zone: dict, work: Path, mode: Mode | None = None) -> None:
    """The next run ends as a clean run; with `mode`, it went that mode's way."""
    warehouse = work / "wh.duckdb"
    output = _run(zone["full"], warehouse)
    if mode:
        mode.ran(output, warehouse)
    assert snapshot(warehouse) == zone["after_full"]
    assert not list(work.glob("wh.duckdb.building*")), "no leftover build file"
    assert not list((work / "spill").iterdir()), "no leftover chunks, the killed run's removed by the next"


def test_every_checkpoint_is_reached_by_a_run() -> None:
    """Each checkpoint must be one the flow passes, or killing there would test nothing."""
    from mubiao.flows import loading, reading, run
    from mubiao.pipelines.intake import landing
    from mubiao.warehouse import models, publish

    sources = "".join(
        Path(m.__file__).read_text(encoding="utf-8")
        for m in (
            run,
            reading,
            loading,
            landing,
            models,
            publish,
        )
    )
    for point in CHECKPOINTS:
        assert f'checkpoint("{point}")' in sources or (
            point.startswith("ingested-") and 'checkpoint(f"ingested-{kind}")' in sources
        ), point


@pytest.mark.parametrize("kill_at", [p for p in CHECKPOINTS if p != "published"])
def test_a_run_killed_at_a_named_point_loses_nothing(zone, tmp_path: Path, kill_at: str) -> None:
    assert _killed_run(zone, tmp_path, kill_at=kill_at) == -signal.SIGKILL, (tmp_path / "killed-run.log").read_text()
    assert snapshot(tmp_path / "wh.duckdb") == zone["after_first"], "the published file is as the first run left it"
    _recover_and_compare(zone, tmp_path)


def test_a_run_killed_after_publishing_keeps_the_new_warehouse(zone, tmp_path: Path) -> None:
    assert _killed_run(zone, tmp_path, kill_at="published") == -signal.SIGKILL, (
        tmp_path / "killed-run.log"
    ).read_text()
    assert snapshot(tmp_path / "wh.duckdb") == zone["after_full"]
    _recover_and_compare(zone, tmp_path)


@pytest.mark.parametrize("seed", range(3))
def test_a_run_killed_at_a_random_moment_loses_nothing(zone, worker_mode, tmp_path: Path, seed: int) -> None:
    """Warm, the worker is killed under its client, which says so, and the next run goes through a new worker."""
    code = _killed_run(zone, tmp_path, after=random.Random(seed).uniform(0.0, 1.5), mode=worker_mode)
    said = (tmp_path / "killed-run.log").read_text()
    assert code in ((0, 1) if worker_mode.warm else (0, -signal.SIGKILL)), said
    assert code != 1 or "工作进程在运行中退出" in said, said
    published = snapshot(tmp_path / "wh.duckdb")
    assert published in (zone["after_first"], zone["after_full"]), "old or new, never a mix"
    worker_mode.serve(tmp_path / "wh.duckdb")
    # with the second half still to load, the next run is a run, not the command's answer that nothing is new
    _recover_and_compare(zone, tmp_path, worker_mode if published == zone["after_first"] else None)


@pytest.mark.parametrize("kill_at", ["landed", "ingested", "closed", "published"])
def test_a_worker_killed_at_a_named_point_loses_nothing(zone, tmp_path: Path, kill_at: str) -> None:
    """The worker dies mid-run as a run would; its client says so in one line, and the next run (in its own
    process, the dead worker's socket left behind) ends as a clean run."""
    from prefect.settings import PREFECT_API_URL

    shutil.copytree(zone["published_first"], tmp_path, dirs_exist_ok=True)
    warehouse = tmp_path / "wh.duckdb"
    worker = start_worker(warehouse, tmp_path / "worker.log", MUBIAO_KILL_AT=kill_at)
    command = [str(Path(sys.executable).with_name("mubiao")), "run", "--inbox", str(zone["full"])]
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value())
    client = subprocess.run([*command, "--warehouse", str(warehouse)], env=env, capture_output=True, text=True)
    assert worker.wait(timeout=120) == -signal.SIGKILL, (tmp_path / "worker.log").read_text()
    assert client.returncode == 1 and "工作进程在运行中退出" in client.stderr + client.stdout, client
    published = zone["after_full"] if kill_at == "published" else zone["after_first"]
    assert snapshot(warehouse) == published
    _recover_and_compare(zone, tmp_path)
