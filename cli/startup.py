"""`mubiao run`'s start-up, tuned: the flow's modules are imported while Prefect's temporary server boots beside
them, with the garbage collector paused, since imports make objects by the million and no garbage to speak of;
the heap they leave is frozen for the run, so that the collector's passes skip it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def flow_imported() -> Iterator[None]:
    """The flow's modules imported. Not GX, the slowest (2 s): it comes with the first rows to validate, so that a run
    of unreadable files, or a Dask run whose workers validate, never pays for it."""
    from mubiao.foundation.runtime import collection_paused, heap_frozen

    with contextlib.ExitStack() as frozen:
        with collection_paused():
            import fastapi.encoders  # noqa: F401  which a flow's start imports

            import mubiao.flows.run  # noqa: F401

            frozen.enter_context(heap_frozen())  # before collecting resumes, whose first pass would walk them
        yield
