"""The warm worker (flows/worker.py): `mubiao run` with a worker up runs there and leaves the tables a run in its
own process leaves; with the worker gone (its socket left behind), the command runs itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mubiao.flows.worker import socket_path
from tests.synthetic_zone import write_zone
from tests.test_crash_safety import snapshot
from tests.warm_worker import start_worker


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    warehouse = tmp_path / "served" / "wh.duckdb"
    process = start_worker(warehouse, tmp_path / "worker.log")
    yield warehouse, process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_run_in_the_worker_leaves_the_tables_of_a_cold_run(mubiao, worker, tmp_path: Path) -> None:
    warehouse, _ = worker
    inbox = write_zone(tmp_path / "inbox")
    warm = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert f"由工作进程运行（{socket_path(warehouse)}）" in warm.output.replace("\n", "")
    assert "已入库" in warm.output
    cold = mubiao("run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "cold" / "wh.duckdb"))
    assert "由工作进程运行" not in cold.output
    assert snapshot(warehouse) == snapshot(tmp_path / "cold" / "wh.duckdb")
    noop = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "由工作进程运行" in noop.output and "收件箱中没有新文件" in noop.output, "the worker looked, and found none"
    first = sorted(p for p in inbox.iterdir() if p.is_file())[0]
    (inbox / "again").mkdir()
    shutil.copy2(first, inbox / "again" / first.name)
    again = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))  # the worker outlives its runs
    assert "由工作进程运行" in again.output and "全部为已入库文件的重复" in again.output


def test_with_the_worker_killed_the_command_runs_itself(mubiao, worker, tmp_path: Path) -> None:
    warehouse, process = worker
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert socket_path(warehouse).exists(), "the killed worker's socket is left behind"
    inbox = write_zone(tmp_path / "inbox")
    result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "由工作进程运行" not in result.output and "已入库" in result.output
