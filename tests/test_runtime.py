"""The process tuning (foundation/runtime.py): chunks released between loads leave nothing behind, and a frozen
heap is put back by the block that froze it first, never under a lasting freeze."""

from __future__ import annotations

import gc
import weakref

import pytest

from mubiao.foundation import runtime
from mubiao.foundation.runtime import heap_frozen, heap_left_to_exit, released_per_chunk


class _Held:
    """An object in a reference cycle, as a Prefect future is with its state and callbacks."""

    def __init__(self) -> None:
        self.itself = self


def test_a_cycle_alive_at_a_later_release_is_collected_once_dropped() -> None:
    """The next chunk's future is in flight when a chunk is released; once it is done with, its cycle goes."""
    with released_per_chunk() as release:
        release()  # the first chunk: what lives now (GX's caches) is walked no more
        in_flight = _Held()
        held = weakref.ref(in_flight)
        release()  # a later chunk, released while this one is in flight
        del in_flight
        release()
        assert held() is None, "a cycle frozen while in flight is never collected: every chunk stays in memory"


def test_the_outermost_block_unfreezes_and_a_lasting_freeze_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime._Freezes, "lasting", False)
    gc.unfreeze()
    with heap_frozen():
        with heap_frozen():
            pass
        assert gc.get_freeze_count() > 0, "the inner block leaves the unfreezing to the outer"
    assert gc.get_freeze_count() == 0
    try:
        heap_left_to_exit()
        with heap_frozen():
            pass
        assert gc.get_freeze_count() > 0, "a block does not undo a lasting freeze"
    finally:
        gc.unfreeze()
