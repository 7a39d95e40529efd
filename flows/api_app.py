"""The temporary server's app, the factory its uvicorn command names (flows/api_server.py): Prefect's own
(`prefect.server.api.server:create_app`, the factory Prefect's SubprocessASGIServer names), made with the garbage
collector paused, and the heap it leaves frozen once it has started.

Importing Prefect's server and making its app make objects by the million and no garbage to speak of, and every
collection meanwhile walks all that is alive: the import and the app took 1.55–1.67 s of processor time paused
against 1.82–1.98 s, and the server answered 1.97–2.07 s after its start against 2.26–2.33 s (four alternating
pairs each, 2 shared cores at load 1.9). They live as long as the server, so after its start-up the
collections it makes while it serves the run leave them out (gc.freeze), as the command's own start-up does
(cli/startup.py). Nothing here imports more than Prefect's factory does.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator

from fastapi import FastAPI


def create_app() -> FastAPI:
    """Prefect's server app, as its factory makes it from the same environment, made with collection paused; it
    resumes, over a frozen heap, when the app's start-up is done (and the port opens)."""
    gc.disable()
    from prefect.server.api.server import create_app as prefect_app

    app = prefect_app()
    starting = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[object]:
        async with starting(app) as state:
            gc.freeze()
            gc.enable()
            yield state

    app.router.lifespan_context = lifespan
    return app
