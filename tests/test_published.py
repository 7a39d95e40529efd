"""A foreign read-write session on the published warehouse: one line naming it, and no file lost."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import query
from tests.test_concurrency import _inbox

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])         # read-write, as the DuckDB command line opens a file by default
print("ready", flush=True)
sys.stdin.readline()
"""
MUBIAO = str(Path(sys.executable).with_name("mubiao"))


@pytest.fixture
def published(mubiao, tmp_path: Path) -> Path:
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(_inbox(tmp_path, range(2, 4))), "--warehouse", str(warehouse))
    return warehouse


@pytest.fixture
def holder(published: Path) -> Iterator[subprocess.Popen]:
    """A process holding the published file read-write until the test lets it go."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(published)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    yield process
    if process.poll() is None:
        process.communicate("\n", timeout=30)


def _mubiao(*args: str, wait: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, MUBIAO_HELD_WAIT_SECONDS=str(wait))
    return subprocess.run([MUBIAO, *args], env=env, capture_output=True, text=True, timeout=300)


def _says_who_holds_it(result: subprocess.CompletedProcess, holder: subprocess.Popen) -> None:
    """Exit 1, the last line on stderr the error: who holds the file and how to open it read-only."""
    assert result.returncode == 1, result.stdout + result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("错误：") and f"进程 {holder.pid}（" in line and "duckdb -readonly" in line, line


@pytest.mark.parametrize("command", [["sql", "select 1"], ["status"], ["report"]])
def test_a_reader_names_the_process_that_holds_the_file(published: Path, holder, command: list[str]) -> None:
    result = _mubiao(*command, "--warehouse", str(published), wait=0)
    _says_who_holds_it(result, holder)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_run_stops_in_one_line_and_takes_every_file_once_the_file_is_let_go(
    published: Path, holder, tmp_path: Path
) -> None:
    inbox = _inbox(tmp_path, range(2, 6))
    stopped = _mubiao("run", "--inbox", str(inbox), "--warehouse", str(published), wait=1)
    _says_who_holds_it(stopped, holder)
    assert "等待其关闭" in stopped.stderr, "it said that it waited"
    holder.communicate("\n", timeout=30)
    result = _mubiao("run", "--inbox", str(inbox), "--warehouse", str(published), wait=1)
    assert result.returncode == 0, result.stderr
    [row] = query(published, "select count(*) as files from audit.files")
    assert row["files"] == len(list(inbox.iterdir()))


def test_a_run_waits_for_a_holder_that_lets_go(published: Path, holder, tmp_path: Path) -> None:
    env = dict(os.environ, MUBIAO_HELD_WAIT_SECONDS="120")
    run = subprocess.Popen(
        [MUBIAO, "run", "--inbox", str(_inbox(tmp_path, range(2, 5))), "--warehouse", str(published)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = run.stderr.readline()
    assert f"进程 {holder.pid}（" in first and "等待其关闭" in first, first
    holder.communicate("\n", timeout=30)
    out, rest = run.communicate(timeout=300)
    assert run.returncode == 0, rest
