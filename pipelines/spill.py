"""Where a run keeps its chunks until they are loaded: a folder of its own beside the warehouse.

A run killed outright (SIGKILL, power cut) cannot remove its folder; the next run, or the next
no-op, removes the folders of runs whose process is gone. So a kill leaves no more than one run's
chunks on disk, and only until the next run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

SPILL = "spill"


@contextlib.contextmanager
def spill_folder(warehouse: Path) -> Iterator[Path]:
    """A folder for this run's chunks beside `warehouse`, removed when the run ends."""
    remove_killed_spills(warehouse)
    with tempfile.TemporaryDirectory(dir=warehouse.parent / SPILL, prefix=f"run-{os.getpid()}-") as folder:
        yield Path(folder)


def remove_killed_spills(warehouse: Path) -> None:
    """Remove the chunk folders of runs whose process is gone (`spill_folder` names each by its pid)."""
    parent = warehouse.parent / SPILL
    parent.mkdir(parents=True, exist_ok=True)
    for folder in parent.glob("run-*"):
        if not _alive(int(folder.name.split("-")[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
