"""One writer at a time, and readers that never block it nor see half a load.

The published warehouse file is never written in place. A load copies it to
`<name>.building`, writes there, and renames the copy over the published file
when it has finished (an atomic replace): an analyst's open session keeps the
version it opened, the next session sees the new one, never half of each, and
a load that dies leaves the published file as it was (its leftover copy is
discarded by the next load). `<name>.lock` makes a second load wait its turn.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.durability import fsync


def _sidecar(warehouse: Path, suffix: str) -> Path:
    return warehouse.with_name(warehouse.name + suffix)


@contextlib.contextmanager
def exclusive(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's writer lock for the block, once another load that holds it lets go (`held` tells)."""
    lock = _sidecar(warehouse, ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive_if_free(warehouse: Path) -> Iterator[bool]:
    """Hold the warehouse's writer lock for the block if no load holds it; whether it is held. The lock file is
    opened to read, not made: none yet (no load ever ran), or one this user may not open, gives False."""
    try:
        handle = _sidecar(warehouse, ".lock").open("r")
    except OSError:
        yield False
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


HELD = "另一次运行正在写入 {}，等待其结束后继续……"
"""What a run that must wait for the writer lock says, with the warehouse."""


def held(warehouse: Path) -> bool:
    """Whether another load holds the warehouse's writer lock at this moment."""
    lock = _sidecar(warehouse, ".lock")
    if not lock.exists():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def discard_building(warehouse: Path) -> None:
    """The private copy a killed load left (only under the writer lock)."""
    _discard(_sidecar(warehouse, ".building"))


def _discard(path: Path) -> None:
    """A private copy and what DuckDB keeps beside it: its WAL, and the folder it spills to (`<name>.tmp`)."""
    for leftover in (path, _sidecar(path, ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(_sidecar(path, ".tmp"), ignore_errors=True)


LOAD_MEMORY = "128MB"
"""DuckDB's share of a run's memory while it loads chunks: appends need little, the chunks in flight the rest."""
BUILD_MEMORY = "512MB"
"""DuckDB's share while it builds the models: above it, sorts and joins spill to disk.

Chosen with CHUNK_ROWS (pipelines/loading/run_reading.py) so that a run's peak, with its other processes and Prefect's
server beside it, stays under the memory goal of bench/README.md; more here builds faster and peaks higher.
"""


@contextlib.contextmanager
def connect_building(building: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy from `rebuilding`, with DuckDB's memory capped at LOAD_MEMORY, closed after
    the block; when the block succeeds, its WAL is first folded into the file by a checkpoint of its own, whose
    failure (a full disk) raises, where one left to the close would pass in silence."""
    con = duckdb.connect(str(building), config={"memory_limit": LOAD_MEMORY})
    try:
        yield con
        con.execute("checkpoint")
    finally:
        con.close()


def ready_to_build(con: duckdb.DuckDBPyConnection) -> None:
    """Raise DuckDB's cap to BUILD_MEMORY, once the chunks are loaded and their memory given back."""
    con.execute(f"set memory_limit = '{BUILD_MEMORY}'")


@contextlib.contextmanager
def rebuilding(warehouse: Path, fresh: bool = False) -> Iterator[Path]:
    """A private copy of the published warehouse (an empty file if `fresh`), published when the block succeeds.

    Close every connection to the copy inside the block (`connect_building` does). Whatever fails, the copy and
    what DuckDB kept beside it are removed; a copy a killed run left is removed by the next.
    """
    building = _sidecar(warehouse, ".building")
    _discard(building)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        if warehouse.exists() and not fresh:
            shutil.copyfile(warehouse, building)
        checkpoint("copied")
        yield building
        if _sidecar(building, ".wal").exists():
            raise RuntimeError(f"{building.name}: a connection was left open; not published")
        checkpoint("closed")
        fsync(building)
        os.replace(building, warehouse)
    except BaseException:
        _discard(building)
        raise
    fsync(warehouse.parent)
