"""Where a run keeps its chunks until they are loaded: a folder of its own beside the warehouse.

Each run's folder `spill/run-…/` has a lock file beside it, `run-….lock`, which the run holds (flock) while
it lives. A run killed outright (SIGKILL, power cut) cannot remove its folder, but the kernel lets go of its
lock; the next run, or the next no-op, removes every folder whose lock it can take. So a killed run's chunks
stay on disk only until the next run. The command's scan of the inbox, which it hands to the run it starts
(`walk_kept`), is kept the same way: `spill/run-….walk`, beside its lock.
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
WALK = ".walk"


@contextlib.contextmanager
def spill_folder(warehouse: Path) -> Iterator[Path]:
    """A folder for this run's chunks beside `warehouse`, removed when the run ends."""
    remove_killed_spills(warehouse)
    with _held(warehouse) as stem:
        stem.mkdir()
        try:
            yield stem
        finally:
            shutil.rmtree(stem, ignore_errors=True)


@contextlib.contextmanager
def walk_kept(warehouse: Path) -> Iterator[Path]:
    """A file for the command's scan of the inbox beside `warehouse` (not yet written), removed when it is done."""
    with _held(warehouse) as stem:
        walk = stem.with_suffix(WALK)
        try:
            yield walk
        finally:
            walk.unlink(missing_ok=True)


def in_spill(path: Path, warehouse: Path) -> bool:
    """Whether `path` names a kept scan of `warehouse`'s (a flow reads no other file its parameter names)."""
    return path.parent == warehouse.parent / SPILL and path.name.startswith("run-") and path.suffix == WALK


@contextlib.contextmanager
def _held(warehouse: Path) -> Iterator[Path]:
    """A name of this process's own in the spill folder (`…/run-…`), its `.lock` held until the end."""
    parent = warehouse.parent / SPILL
    parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=parent, prefix="run-", suffix=".lock")
    lock = Path(name)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # taken before anything is made under the name: no cleaner sees it unowned
        yield lock.with_suffix("")
    finally:
        lock.unlink(missing_ok=True)
        os.close(handle)


def remove_killed_spills(warehouse: Path) -> None:
    """Remove the chunk folders and kept scans whose run is gone: those whose lock no one holds. Nothing else is
    touched."""
    parent = warehouse.parent / SPILL
    if not parent.is_dir():
        return
    for lock in parent.glob("run-*.lock"):
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                lock.with_suffix(WALK).unlink(missing_ok=True)
                lock.unlink(missing_ok=True)
        except OSError:  # held by a live run (BlockingIOError), or a folder this process may not change
            continue
