"""Prefect's temporary API server for one command, booted while the command gets ready.

With no PREFECT_API_URL, Prefect starts a temporary server (its SubprocessASGIServer) when a flow first
needs an API. That class lives in the server's own module, which costs this process 1.6 s to import for
nothing else. `temporary_api` starts the same uvicorn command from the settings this process has, runs
other start-up work while the server boots (about 4 s), and points PREFECT_API_URL at it while it lasts.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import httpx

from mubiao.errors import MubiaoError

SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
"""What Prefect's SubprocessASGIServer sets for the server it starts (prefect/server/api/server.py)."""
PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when its parent dies."""
USE_A_SERVER = "可设置 PREFECT_API_URL，使用一个已在运行的 Prefect 服务"
RESTARTS = 2
"""A server that exits while booting is started again this many times (on a new port) before the run gives up."""


@contextlib.contextmanager
def temporary_api(while_booting: Callable[[], object] = lambda: None) -> Iterator[None]:
    """A temporary API server for the block, unless PREFECT_API_URL names one; `while_booting` runs meanwhile."""
    from prefect.settings import (
        PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, get_current_settings, temporary_settings,
    )

    if PREFECT_API_URL.value():
        while_booting()
        yield
        return
    env = {**os.environ, **SERVER_ENV, **get_current_settings().to_environment_variables(exclude_unset=True)}
    server, url = _start(env)
    try:
        while_booting()
        timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
        deadline, restarts = time.monotonic() + timeout, 0
        while not _healthy(url):
            exited = server.poll()
            if exited is not None and restarts == RESTARTS:
                raise MubiaoError(f"Prefect 的临时服务未能启动（退出码 {exited}，已重试 {RESTARTS} 次）；{USE_A_SERVER}")
            if time.monotonic() > deadline:
                raise MubiaoError(f"Prefect 的临时服务 {timeout:g} 秒内未能启动；{USE_A_SERVER}")
            if exited is not None:  # most often its port, taken between choosing and binding it
                server, url = _start(env)
                restarts += 1
            time.sleep(0.1)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield
            finally:
                _send_queued()
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _send_queued() -> None:
    """Send the logs and events Prefect still holds while the server is up to take them (as its test harness
    does), rather than have them fail against a stopped one at exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)
    EventsWorker.drain_all(timeout=5)


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """The server's process, on a free port of 127.0.0.1, and its API's URL."""
    import prefect

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([
        sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ], env=env, preexec_fn=_dies_with_parent if sys.platform == "linux" else None)
    return server, f"http://127.0.0.1:{port}/api"


def _dies_with_parent() -> None:
    """In the server's process before it starts (Linux): SIGTERM when the thread that started it ends, so a
    run killed outright leaves no server behind. `temporary_api` starts it from the command's main thread."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
