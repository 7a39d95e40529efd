"""Where a run keeps its chunks until they are loaded: a folder of its own beside the warehouse.

Each run's folder `spill/run-…/` has a lock file beside it, `run-….lock`, which the run holds (flock) while
it lives. A run killed outright (SIGKILL, power cut) cannot remove its folder, but the kernel lets go of its
lock; the next run, or the next no-op, removes every folder whose lock it can take. So a killed run's chunks
stay on disk only until the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

SPILL = "spill"


@contextlib.contextmanager
def spill_folder(warehouse: Path) -> Iterator[Path]:
    """A folder for this run's chunks beside `warehouse`, removed when the run ends."""
    parent = warehouse.parent / SPILL
    parent.mkdir(parents=True, exist_ok=True)
    remove_killed_spills(warehouse)
    handle, name = tempfile.mkstemp(dir=parent, prefix="run-", suffix=".lock")
    lock = Path(name)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # taken before the folder exists, so no cleaner sees it unowned
        folder = lock.with_suffix("")
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        lock.unlink(missing_ok=True)
        os.close(handle)


def remove_killed_spills(warehouse: Path) -> None:
    """Remove the chunk folders whose run is gone: those whose lock no one holds. Nothing else is touched."""
    parent = warehouse.parent / SPILL
    if not parent.is_dir():
        return
    for lock in parent.glob("run-*.lock"):
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                lock.unlink(missing_ok=True)
        except OSError:  # held by a live run (BlockingIOError), or a folder this process may not change
            continue
