"""Memory and the garbage collector: give memory back between chunks, so that a long run stays near its first
chunks' peak; pause the collector where it only walks live rows."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator

_LIBC_NAME = ctypes.util.find_library("c")
_MALLOC_TRIM = getattr(ctypes.CDLL(_LIBC_NAME), "malloc_trim", None) if _LIBC_NAME else None


def _release() -> None:
    gc.collect()
    gc.freeze()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """What is alive on entry is left out of every collection in the block (gc.freeze), and put back after.

    A full collection in a process that has imported Prefect and GX walks over a million objects: tenths of a
    second each. A run at M made 35 of them, 2.5 s in all, most while it received and read its files; with the
    imports frozen (mubiao/cli.py), 32 took 0.57 s, and all its collections 1.0 s instead of 3.2 s (S: 0.12 s
    instead of 1.09 s). A block inside another leaves the unfreezing to the outer one.
    """
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


@contextlib.contextmanager
def released_per_chunk() -> Iterator[Callable[[], None]]:
    """A function to call after each chunk: it collects the reference cycles the chunk left (GX's results make
    some), freezes what survives and hands glibc's freed pages back to the system.

    What is alive on entry, and what survives each call, is left out of the later collections (`heap_frozen`):
    GX's context and caches, made by a kind's first validation, are walked once, not after every chunk. A
    collection took 0.11–0.13 s per chunk of 200,000 rows when only the entry was frozen, 0.002 s now. A
    chunk's batch, frozen while it loads, is freed by its reference counts: over 8 chunks, unfreezing and
    collecting at the end found 10 objects either way. Measured over 8 chunks of 100,000 rows: about 100 MB
    less resident than without the collections.
    """
    with heap_frozen():
        yield _release


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection in the block: for work that makes many containers and few cycles.

    Reading keeps up to BUILD_ROWS rows as Python lists (pipelines/run_reading.py), and every collection walked
    them all: reading a file took 0.81 ms of CPU with it, 0.58 ms without (medians of 4 × 5,800 S files).
    The meeting pack's rows and workbook cells are the same case. What cycles the block makes are collected
    once it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
