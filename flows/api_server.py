"""Prefect's temporary API server for one command, booted while the command gets ready.

With no PREFECT_API_URL, Prefect starts a temporary server (its SubprocessASGIServer) when a flow first
needs an API, after the command's imports. That class lives in the server's own module, which is slow to
import and of no other use here. `TemporaryApi` starts the same uvicorn command as the command's first step,
before this process has imported Prefect, so that the server's boot runs beside the command's own start-up,
and points PREFECT_API_URL at it while it serves (docs/design.md, "Fixed costs", has the two timed).

The command is Prefect's own (SubprocessASGIServer._run_uvicorn_command), with its private environment
(PREFECT__SERVER_*): Prefect has no public way to start its server in the background of a process that has not
imported it. tests/test_api_server.py compares the two, so that a Prefect upgrade that changes the command fails
a test instead of a run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.runtime import dies_with_parent

SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}
"""What Prefect's SubprocessASGIServer sets for the server it starts (prefect/server/api/server.py), and no block
registration: mubiao uses no blocks, and loading the installed collections to register theirs is slow."""
APP_FACTORY = "mubiao.flows.api_app:create_app"
"""Prefect's own factory, made with the garbage collector paused while it imports and starts (flows/api_app.py)."""
USE_A_SERVER = "可设置 PREFECT_API_URL，使用一个已在运行的 Prefect 服务"
HEARTBEAT_SETTINGS = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"}
"""The setting's name and its older alias, either of which asks for heartbeats (`heartbeats_if_asked`)."""
RESTARTS = 2
"""A server that exits while booting is started again this many times (on a new port) before the run gives up."""


class TemporaryApi:
    """A temporary API server, booting from the moment this is made unless an API is named; stopped on leaving
    its `with` block.

    The server reads the same environment and Prefect profile as this process; settings made inside this
    process (Prefect's `temporary_settings`) do not reach it.
    """

    def __init__(self, quiet: bool = True) -> None:
        """`quiet`: the server's own log (its cancelled services as it stops, say) stays off the user's terminal."""
        self._env = {**os.environ, **SERVER_ENV}
        self._output = subprocess.DEVNULL if quiet else None
        self._server, self._url = (None, "") if _api_configured() else _start(self._env, self._output)
        self._terminated = False
        self._answered = False

    def __enter__(self) -> TemporaryApi:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Prefect pointed at this server for the block, once it answers; an API the settings name is used instead.

        Flow runs send no heartbeats to it: they let a lasting server notice a run that died, and this one ends
        with the run. Prefect's heartbeat thread sleeps a second at a time, and a flow's end would wait for it.
        """
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        if PREFECT_API_URL.value() or self._server is None:
            self.stop()
            with heartbeats_if_asked():
                yield
            return
        self._wait_until_healthy()
        with temporary_settings(updates={PREFECT_API_URL: self._url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                yield
            finally:
                _send_queued()

    def booting(self) -> bool:
        """Whether this started a server that has not answered yet: the command has time for work it would do later."""
        if self._server is None or self._answered:
            return False
        self._answered = _healthy(self._url)
        return not self._answered and self._server.poll() is None

    def terminate(self) -> None:
        """Ask the server to shut down, without waiting: `stop`, or leaving the `with` block, waits for it. One that
        has not answered yet has served nothing, and is killed: uvicorn takes its signals before it imports the app,
        and finished its boot first (up to 2 s) on being asked to stop."""
        if self._server is not None and not self._terminated:
            if self._answered:
                self._server.terminate()
            else:
                self._server.kill()
            self._terminated = True

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self._server is None:
            return
        self.terminate()
        try:
            self._server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
        self._server = None

    def _wait_until_healthy(self) -> None:
        from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

        timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
        deadline, restarts = time.monotonic() + timeout, 0
        while not _healthy(self._url):
            exited = self._server.poll()
            if exited is not None and restarts == RESTARTS:
                raise MubiaoError(
                    f"Prefect 的临时服务未能启动（退出码 {exited}，已重试 {RESTARTS} 次）；{USE_A_SERVER}"
                )
            if time.monotonic() > deadline:
                raise MubiaoError(f"Prefect 的临时服务 {timeout:g} 秒内未能启动；{USE_A_SERVER}")
            if exited is not None:  # most often its port, taken between choosing and binding it
                self._server, self._url = _start(self._env, self._output)
                restarts += 1
            time.sleep(0.02)  # a look costs a refused connect until the port opens
        self._answered = True


@contextlib.contextmanager
def heartbeats_if_asked() -> Iterator[None]:
    """Flow runs started inside send heartbeats only if the office asks for them, by setting
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY (in the environment or the Prefect profile) for Prefect's automation that
    marks a silent run Crashed (docs/design.md, "Heartbeats").

    Prefect's default sends one every 180 s, from a thread that sleeps a second at a time and that the flow's end
    waits for: half a second on average, a tenth of a served monthly run."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, load_current_profile, temporary_settings

    named = os.environ.keys() | {setting.name for setting in load_current_profile().settings}
    if not named.isdisjoint(HEARTBEAT_SETTINGS):
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _api_configured() -> bool:
    """Whether the environment names an API. A cold command does not import Prefect to ask its settings;
    a profile's URL is found by `serving`, which stops the server then."""
    return bool(os.environ.get("PREFECT_API_URL"))


def _send_queued() -> None:
    """Send the logs and events Prefect still holds while the server is up to take them (as its test harness
    does), rather than have them fail against a stopped one at exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)
    EventsWorker.drain_all(timeout=5)


def _start(env: dict[str, str], output: int | None) -> tuple[subprocess.Popen, str]:
    """The server's process, on a free port of 127.0.0.1, and its API's URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-P",  # the working folder is not on its path: nothing there shadows uvicorn or Prefect
            "-m",
            "uvicorn",
            "--app-dir",
            _site_packages(),
            "--factory",
            APP_FACTORY,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--lifespan",
            "on",
        ],
        env=env,
        stdout=output,
        stderr=output,
        preexec_fn=_dies_with_command if sys.platform == "linux" else None,
    )
    return server, f"http://127.0.0.1:{port}/api"


def _site_packages() -> str:
    """The folder Prefect is installed in, found without importing it."""
    return str(Path(find_spec("prefect").origin).parent.parent)


def _dies_with_command() -> None:
    """SIGTERM for the server once the thread that started it ends: start it from the command's main thread."""
    dies_with_parent(signal.SIGTERM)


def _healthy(url: str) -> bool:
    """Whether the server answers /health. A port still closed (uvicorn binds it once the app has started) is
    told by a socket: an HTTP client, made for each look, took 18 ms of processor time to be refused. httpx is
    imported only once the port answers (in the command, Prefect has imported it by then): imported with this
    module, it put off the server's start by its import, 0.07 s."""
    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname, address.port), timeout=1).close()
    except OSError:
        return False
    import httpx

    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
