"""Reading a run's files in parts on worker processes gives what reading them here gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow as pa
import pytest

from bench.generate import SIZES, generate
from mubiao.flows.reading import read_files
from mubiao.pipelines.intake.landing import ChangedSinceReceived, copy_in, landed_path, receive
from mubiao.pipelines.loading import run_reading
from mubiao.pipelines.loading.run_reading import chunks_of
from tests.conftest import FIXTURES


@pytest.fixture
def landed(tmp_path: Path):
    inbox = tmp_path / "inbox"
    generate(SIZES["tiny"], inbox, processes=1)
    for name in ("junk.csv", "gbk.csv", "multi_sheet.xlsx"):  # an unreadable file, GBK, a workbook of two kinds
        (inbox / name).write_bytes((FIXTURES / name).read_bytes())
    return receive(inbox, {}).arrivals, tmp_path / "landing"


def _read(
    landed, spill: Path, part_files: int, monkeypatch, copy: bool = False
) -> tuple[run_reading.ReadBatch, dict[str, pa.Table]]:
    arrivals, landing = landed
    monkeypatch.setattr(run_reading, "PART_FILES", part_files)
    monkeypatch.setattr(run_reading, "CHUNK_ROWS", 40)
    spill.mkdir()
    read = read_files(arrivals, landing, spill, copy=copy)
    return read, {kind: pa.concat_tables(chunks_of(read, kind)) for kind in read.chunks}


def test_parts_landed_here_and_read_on_worker_processes_equal_one_read_here(landed, tmp_path: Path, monkeypatch):
    parts, part_rows = _read(landed, tmp_path / "parts", 7, monkeypatch, copy=True)
    arrivals, landing = landed
    assert all(landed_path(landing, a.sha256).read_bytes() == a.path.read_bytes() for a in arrivals)
    here, here_rows = _read(landed, tmp_path / "here", 10_000, monkeypatch)
    assert len(here.results) == len(landed[0]) > 7 * 2
    assert list(parts.results) == list(here.results)  # arrival order kept
    assert parts.results == here.results
    assert any(result.error for result in here.results.values())
    assert set(part_rows) == set(here_rows) >= {"units", "indicator_values", "project_progress"}
    for kind, table in here_rows.items():
        assert part_rows[kind].equals(table), kind
    assert max(len(paths) for paths in parts.chunks.values()) > 1


def test_a_file_changed_after_it_was_received_is_not_landed(landed):
    arrivals, landing = landed
    changed = arrivals[3]
    changed.path.write_bytes(changed.path.read_bytes() + b"\n")
    copy_in(arrivals[:3], landing)
    with pytest.raises(ChangedSinceReceived, match=changed.file_name):
        copy_in(arrivals, landing)
    assert not landed_path(landing, changed.sha256).exists()
    assert not list(landing.rglob("*.partial"))
    assert all(landed_path(landing, a.sha256).exists() for a in arrivals[:3])


def test_a_file_moved_away_after_it_was_received_is_a_clear_error(landed):
    arrivals, landing = landed
    arrivals[2].path.unlink()
    with pytest.raises(ChangedSinceReceived, match=f"被移走：{arrivals[2].file_name}"):
        copy_in(arrivals, landing)
    assert not list(landing.rglob("*.partial"))


def test_a_file_changed_after_it_was_received_fails_a_read_on_worker_processes(landed, tmp_path: Path, monkeypatch):
    arrivals, landing = landed
    changed = arrivals[-1]  # in the last part: landed by a reading process, not this one
    changed.path.write_bytes(changed.path.read_bytes() + b"\n")
    with pytest.raises(ChangedSinceReceived, match=changed.file_name):
        _read(landed, tmp_path / "spill", 7, monkeypatch, copy=True)
    assert not landed_path(landing, changed.sha256).exists()
    assert landed_path(landing, arrivals[0].sha256).exists()


KILLED_READ = """
import sys
from pathlib import Path
from mubiao.flows.reading import read_files
from mubiao.pipelines.loading import run_reading
from mubiao.pipelines.intake.landing import receive

if __name__ == "__main__":
    inbox, work = Path(sys.argv[1]), Path(sys.argv[2])
    run_reading.PART_FILES = 7
    (work / "spill").mkdir()
    read_files(receive(inbox, {}).arrivals, work / "landing", work / "spill", copy=True)
    print("survived")
"""


def test_a_checkpoint_reached_by_a_reading_process_kills_the_run(landed, tmp_path: Path):
    _, landing = landed
    work = tmp_path / "killed"
    work.mkdir()
    script = work / "read.py"
    script.write_text(KILLED_READ)
    env = dict(os.environ, MUBIAO_KILL_AT="landing", PYTHONPATH=str(Path(__file__).parents[1]))
    with (work / "out.log").open("w") as log:  # a file, not a pipe, so that waiting does not wait for the readers
        code = subprocess.Popen(
            [sys.executable, str(script), str(landing.parent / "inbox"), str(work)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ).wait(timeout=120)
    assert code == -signal.SIGKILL, (work / "out.log").read_text()
    assert "survived" not in (work / "out.log").read_text()
    assert list((work / "landing").rglob("*"))  # killed once a reading process had landed a file


KILLED_WHILE_READING = """
import multiprocessing, os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from mubiao.pipelines.loading import run_reading

if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=run_reading.reader_start, initargs=(os.getpid(),))
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 60)
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_reading_process_dies_with_the_run(tmp_path: Path):
    script = tmp_path / "run.py"
    script.write_text(KILLED_WHILE_READING)
    process = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1])),
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    reader = int(process.stdout.split()[0])
    deadline = time.monotonic() + 5
    while _alive(reader) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(reader)  # not left sleeping, as it would have read and landed for a run that is gone


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
