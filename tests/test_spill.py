"""A run's chunks, and the scan its command kept, are kept beside the warehouse and go with the run, or with the next
run after a kill."""

from __future__ import annotations

import fcntl
from pathlib import Path

from mubiao.pipelines.intake.spill import SPILL, in_spill, remove_killed_spills, spill_folder, walk_kept


def _folder_with_lock(spill: Path, name: str) -> Path:
    folder = spill / name
    folder.mkdir(parents=True)
    (folder / "chunk.arrow").write_bytes(b"rows")
    folder.with_suffix(".lock").touch()
    return folder


def test_a_run_s_folder_goes_with_it_and_takes_those_of_killed_runs(tmp_path: Path):
    spill = tmp_path / SPILL
    killed = _folder_with_lock(spill, "run-killed")  # its lock held by no one: the run is gone
    running = _folder_with_lock(spill, "run-running")  # its lock held: a run still going
    stray = spill / "notes"  # not a run's: never touched
    stray.mkdir()
    with running.with_suffix(".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with spill_folder(tmp_path / "wh.duckdb") as folder:
            assert folder.parent == spill and folder.is_dir()
            assert folder.with_suffix(".lock").exists()
            assert not killed.exists() and not killed.with_suffix(".lock").exists()
            assert (running / "chunk.arrow").exists()
            remove_killed_spills(tmp_path / "wh.duckdb")
            assert folder.is_dir(), "a live run's folder is never taken"
    assert not folder.exists() and not folder.with_suffix(".lock").exists()
    assert stray.is_dir()


def test_a_no_op_makes_no_spill_folder(tmp_path: Path):
    remove_killed_spills(tmp_path / "wh.duckdb")
    assert not (tmp_path / SPILL).exists()


def test_a_kept_scan_goes_with_its_command_or_after_a_kill_and_a_flow_reads_no_other_file(tmp_path: Path):
    warehouse = tmp_path / "wh.duckdb"
    with walk_kept(warehouse) as walk:
        walk.write_text("{}")
        remove_killed_spills(warehouse)
        assert walk.exists(), "the command that keeps it is alive"
        assert in_spill(walk, warehouse)
    assert not walk.exists() and not list((tmp_path / SPILL).iterdir())
    killed = tmp_path / SPILL / "run-killed.walk"
    killed.write_text("{}")
    killed.with_suffix(".lock").touch()  # held by no one: the command is gone
    with spill_folder(warehouse):
        assert not killed.exists()
    assert not in_spill(tmp_path / "run-x.walk", warehouse) and not in_spill(tmp_path / SPILL / "a.json", warehouse)
