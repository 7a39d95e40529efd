"""An open reader never blocks a load nor sees half of one; two loads at once take turns: loads in the command's
own process, and through a warm worker (which takes two runs at once one after the other)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb

from tests.conftest import query
from tests.test_receipts import REFERENCE, VALUES

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def marts():
    return con.execute(
        "select (select count(*) from audit.files), (select string_agg(value::varchar, ',' order by month) "
        "from core.indicator_values where is_latest)").fetchall()[0]
print(*marts(), sep="|", flush=True)
sys.stdin.readline()                      # the load runs meanwhile
print(*marts(), sep="|", flush=True)
"""


def _inbox(root: Path, months: range) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    for name, text in REFERENCE.items():
        (inbox / name).write_text(text, encoding="utf-8")
    for month in months:
        (inbox / f"2017-{month:02d}.csv").write_text(
            VALUES.format(value=month).replace("2017-03", f"2017-{month:02d}"), encoding="utf-8"
        )
    return inbox


def test_a_reader_open_through_a_load_sees_the_old_marts_and_the_load_succeeds(
    mubiao, worker_mode, tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    worker_mode.serve(warehouse)
    load = mubiao("run", "--inbox", str(_inbox(tmp_path, range(2, 4))), "--warehouse", str(warehouse))
    worker_mode.ran(load.output, warehouse)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        before = reader.stdout.readline().strip()
        assert before == "4|2.0,3.0"
        load = mubiao("run", "--inbox", str(_inbox(tmp_path, range(2, 6))), "--warehouse", str(warehouse))
        worker_mode.ran(load.output, warehouse)
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == before, "the open session keeps the version it opened"
    finally:
        reader.communicate(timeout=30)
    assert reader.returncode == 0
    [row] = query(warehouse, "select count(*) as files from audit.files")
    assert row["files"] == 6, "a new session sees the new load"


def test_two_runs_at_once_take_turns_and_give_the_marts_of_one(mubiao, worker_mode, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    from mubiao.warehouse.publish import exclusive

    inbox = _inbox(tmp_path, range(2, 10))
    # the runs report to the session's test server rather than each starting its own
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONUNBUFFERED="1")
    together = tmp_path / "together" / "warehouse.duckdb"
    command = [
        str(Path(sys.executable).with_name("mubiao")),
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(together),
    ]
    worker_mode.serve(together)  # warm, both runs go to one worker: one runs, the other waits for the worker
    with exclusive(together):  # a load in progress: both runs must wait for it, and say so
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)
        ]
        watchdog = threading.Timer(120, lambda: [run.kill() for run in runs])
        watchdog.start()
        try:
            heads = [_until_waiting(run) for run in runs]
        finally:
            watchdog.cancel()
    outputs = [head + run.communicate(timeout=300)[0] for head, run in zip(heads, runs, strict=True)]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for output in outputs:
        worker_mode.ran(output, together)
    loaded = sorted(
        int(next(line for line in out.splitlines() if "已入库 / 重复" in line).split("│")[2].split("/")[0])
        for out in outputs
    )
    assert loaded == [0, 10], "one run took in every file, the other found nothing new"

    alone = tmp_path / "alone" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(alone))
    for table in ("marts.target_completion", "marts.submission_status", "audit.quarantine"):
        assert _rows(together, table) == _rows(alone, table), table
    files = "select file_name, status, rows_loaded, received_at from audit.files order by file_name"
    assert query(together, files) == query(alone, files)


def _until_waiting(run: subprocess.Popen) -> str:
    """What the run said up to the line that says it waits for another load, which it must say."""
    said = ""
    for line in iter(run.stdout.readline, ""):
        said += line
        if "等待其结束后继续" in line:
            return said
    raise AssertionError(f"the run never said it waits: {said}")


def _rows(warehouse: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def test_a_waiting_run_says_so_in_the_terminal_and_no_prefect_error_reaches_it(tmp_path: Path) -> None:
    from mubiao.warehouse.publish import exclusive

    inbox = _inbox(tmp_path, range(2, 5))
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_API")}
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"  # two servers booting beside a loaded suite
    command = [
        str(Path(sys.executable).with_name("mubiao")),
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
    ]
    with exclusive(warehouse):  # another load is writing: each run (with its own temporary server) must wait
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        for run in runs:
            assert "另一次运行正在写入" in run.stderr.readline()
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for out, err in outputs:
        assert "ERROR" not in out + err and "Traceback" not in out + err, err
    assert sorted("全部为已入库文件的重复" in out or "收件箱中没有新文件" in out for out, _ in outputs) == [
        False,
        True,
    ], "one run took every file, the other says why it took none"
