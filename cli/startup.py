"""`mubiao run`'s start-up, tuned: the flow's modules (and GX, the slowest) are imported while Prefect's temporary
server boots beside them, with the garbage collector paused, since imports make objects by the million and no garbage to speak of;
the heap they leave is frozen for the run, so that the collector's passes skip it. If the server still boots after
that, the command uses the wait for what the run would import later: the flow engine and the pack's libraries and
font (what the warm worker imports too), and for a warehouse that has drawn no pack, the font's tables its first pack
subsets."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def flow_imported(
    gx: bool, booting: Callable[[], bool] = lambda: False, warehouse: Path | None = None
) -> Iterator[None]:
    """The flow's modules imported, and GX too with `gx`: the command asks for it once it has found new files, and
    its import then fills the wait for the server (a Dask run's workers validate, and import it there). Then,
    if `booting()` says the server is not up yet, what the run of `warehouse` reads and imports later."""
    from mubiao.foundation.runtime import collection_paused, heap_frozen

    with contextlib.ExitStack() as frozen:
        with collection_paused():
            import fastapi.encoders  # noqa: F401  which a flow's start imports

            import mubiao.flows.run  # noqa: F401
            from mubiao.pipelines.loading.validate import import_gx

            if gx:
                import_gx()
            if booting():
                _import_later_parts(warehouse, booting)
            frozen.enter_context(heap_frozen())  # before collecting resumes, whose first pass would walk them
        yield


def _import_later_parts(warehouse: Path | None, booting: Callable[[], bool]) -> None:
    """What a run of new files imports after its start: Prefect's engines, the pack's libraries and its font, the
    models parsed (as the warm worker has them); and the font's tables, if the server still boots, for a warehouse
    whose first pack will subset it."""
    import prefect.flow_engine  # noqa: F401
    import prefect.task_engine  # noqa: F401

    from mubiao.report import read_font_ahead, warm
    from mubiao.warehouse.model_files import read_models

    warm()
    read_models()  # parsed once a process: the run's schema and build read them (0.06 s)
    if warehouse is not None and booting():
        read_font_ahead(warehouse)
