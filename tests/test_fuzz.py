"""Hundreds of malformed files in one run beside the bundled zone: the run finishes, every file is accounted
for, and the zone's marts are those of the zone alone (tests/fuzz/mutations.py makes the files).

`make test` runs 50 files; `make fuzz` runs 500 and kills the run at three seeded moments first
(MUBIAO_FUZZ_FILES, MUBIAO_FUZZ_KILLS), printing its figures. Each runs in the command's own process, and again
through a warm worker (killed, for a kill, and started anew).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mubiao.cli.config import default_inbox
from tests.conftest import query
from tests.fuzz.mutations import mutated_files
from tests.warm_worker import Mode, kill

SEED = 2026
FILES = int(os.environ.get("MUBIAO_FUZZ_FILES", "50"))
KILLS = int(os.environ.get("MUBIAO_FUZZ_KILLS", "0"))
MUBIAO = str(Path(sys.executable).with_name("mubiao"))


def _env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value())


def _command(inbox: Path, warehouse: Path) -> list[str]:
    return [MUBIAO, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]


def _marts(warehouse: Path) -> dict[str, list[dict]]:
    tables = [
        r["table_name"]
        for r in query(warehouse, "select table_name from duckdb_tables() where schema_name = 'marts' order by 1")
    ]
    return {table: query(warehouse, f"select * from marts.{table} order by all") for table in tables}


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("alone") / "warehouse.duckdb"
    done = subprocess.run(_command(default_inbox(), warehouse), env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return warehouse


def _killed_at_random_moments(inbox: Path, warehouse: Path, kills: int, mode: Mode) -> None:
    """Runs killed at seeded moments: the command's process, or the worker that runs it (a new one for each)."""
    rng = random.Random(SEED)
    for _ in range(kills):
        worker = mode.serve(warehouse)
        run = subprocess.Popen(
            _command(inbox, warehouse),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(1.0, 10.0))
        kill(worker or run)
        run.wait()


def test_malformed_files_beside_good_ones_never_stop_a_run(alone: Path, worker_mode, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(default_inbox(), inbox)
    mutated = mutated_files(SEED, FILES)
    for name, data in mutated.items():
        (inbox / name).write_bytes(data)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    _killed_at_random_moments(inbox, warehouse, KILLS, worker_mode)
    worker_mode.serve(warehouse)
    done = subprocess.run(_command(inbox, warehouse), env=_env(), capture_output=True, text=True, timeout=1800)

    assert done.returncode == 0, done.stdout + done.stderr
    if "收件箱中没有新文件" not in done.stdout:  # else a killed run took every file in before its kill
        worker_mode.ran(done.stderr, warehouse)
    assert "Traceback" not in done.stdout + done.stderr and "内部错误" not in done.stderr
    files = query(warehouse, "select file_name, status, rows_total, rows_loaded, rows_quarantined from audit.files")
    skipped = {r["name"] for r in query(warehouse, "select name from audit.skipped")}
    recorded = {f["file_name"] for f in files} | skipped
    assert sorted(set(os.listdir(inbox)) - recorded) == ["收文登记.csv"], "every file is recorded or skipped"
    for file in files:
        if file["status"] == "loaded":
            assert file["rows_total"] == file["rows_loaded"] + file["rows_quarantined"], file
    assert _marts(warehouse) == _marts(alone), "the mutated files change no registered unit's figures"

    fuzzed = [f for f in files if f["file_name"] in mutated]
    by_status = {s: sum(1 for f in fuzzed if f["status"] == s) for s in ("loaded", "unreadable", "duplicate")}
    print(
        f"\nfuzz: {len(mutated)} files tried (seed {SEED}), {KILLS} kills first; crashes 0; recorded "
        f"{by_status}, skipped {len(set(mutated) & skipped)}; rows {sum(f['rows_total'] for f in fuzzed):,} "
        f"read = {sum(f['rows_loaded'] for f in fuzzed):,} loaded + "
        f"{sum(f['rows_quarantined'] for f in fuzzed):,} quarantined"
    )
