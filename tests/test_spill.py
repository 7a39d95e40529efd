"""A run's chunks are kept beside the warehouse and go with the run, or with the next run after a kill."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.spill import SPILL, spill_folder


def test_a_run_s_folder_goes_with_it_and_takes_those_of_killed_runs(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    spill = tmp_path / SPILL
    killed = spill / f"run-{int(gone.stdout)}-x"      # a run killed with its chunks on disk
    running = spill / f"run-{os.getppid()}-y"          # a live process's: a known-at replay running beside
    for folder in (killed, running):
        folder.mkdir(parents=True)
        (folder / "chunk.arrow").write_bytes(b"rows")
    with spill_folder(tmp_path / "wh.duckdb") as folder:
        assert folder.parent == spill and folder.is_dir()
        assert not killed.exists()
        assert (running / "chunk.arrow").exists()
    assert not folder.exists()
