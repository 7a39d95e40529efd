"""The process tuning, in one place: the garbage collector paused or frozen where it would only walk live
objects, freed memory handed back between chunks, and child processes that die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import threading
from collections.abc import Callable, Iterator

_MALLOC_TRIM = getattr(ctypes.CDLL(None), "malloc_trim", None) if sys.platform == "linux" else None
"""glibc's malloc_trim(3); musl and the other systems have none, and nothing is handed back there."""


def _trim() -> None:
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class _Freezes:
    """What holds the heap frozen: the `heap_frozen` blocks open, and a lasting freeze (`heap_settled`,
    `heap_left_to_exit`). Counted here, since gc.get_freeze_count() walks every frozen object: 0.02–0.09 s a call
    after the imports of a run, which asked twice."""

    lock = threading.Lock()
    blocks = 0
    lasting = False


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """What is alive on entry is left out of every collection in the block (gc.freeze), and put back after.

    A full collection in a process that has imported Prefect and GX walks over a million objects that will
    live as long as the process (cli/startup.py freezes them). A block inside another, or under a lasting
    freeze, leaves the unfreezing to that.
    """
    with _Freezes.lock:
        _Freezes.blocks += 1
        gc.freeze()
    try:
        yield
    finally:
        with _Freezes.lock:
            _Freezes.blocks -= 1
            if not _Freezes.blocks and not _Freezes.lasting:
                gc.unfreeze()


@contextlib.contextmanager
def released_per_chunk() -> Iterator[Callable[[], None]]:
    """A function to call after each chunk: it collects the reference cycles the chunk left (GX's results and
    Prefect's futures make some) and hands glibc's freed pages back to the system.

    What is alive on entry, and what survives the first call, is left out of the later collections
    (`heap_frozen`): GX's context and caches, made by a kind's first validation, are walked once, not after every
    chunk. Only the first call freezes: a later one would freeze the chunk then in flight with its Prefect
    future, whose cycles a frozen heap never collects, and every chunk of bench size M stayed in memory
    (3.03 GiB at the peak, against 1.20 GiB freezing once and 1.06 GiB before chunks were Prefect tasks).
    """
    first = [True]

    def release() -> None:
        gc.collect()
        if first:
            gc.freeze()
            first.clear()
        _trim()

    with heap_frozen():
        yield release


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection in the block: for work that makes many containers and few cycles.

    Reading keeps up to BUILD_ROWS rows as Python lists (pipelines/loading/run_reading.py), and every collection would
    walk them all. The meeting pack's rows and workbook cells are the same case. What cycles the block makes
    are collected once it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when its parent dies."""


def dies_with_parent(signum: int) -> None:
    """In a child process, before its work (Linux; elsewhere nothing): `signum` when the thread that started it
    ends, so a run killed outright leaves no child behind. Start such children from a thread that outlives them."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signum)


def heap_settled() -> None:
    """Collect what the last run left, then freeze what is alive, in a process that lives for many runs (the warm
    worker, flows/worker.py): its collections during a run then walk the run's own objects, not the 400,000 of
    Prefect, GX and the pack's libraries (a full collection over them took 0.36–0.43 s, and a run made several)."""
    with _Freezes.lock:
        _Freezes.lasting = True
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    _trim()


def heap_left_to_exit() -> None:
    """Freeze every object alive: the interpreter's exit then runs no full collection over what a command
    imported (Prefect, GX, pandas), and the process's end frees it all at once."""
    with _Freezes.lock:
        _Freezes.lasting = True
        gc.freeze()
