"""`mubiao run` without PREFECT_API_URL boots Prefect's temporary server itself, and stops it after."""

from __future__ import annotations

import contextlib
import inspect
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from mubiao.flows.api_server import APP_FACTORY, SERVER_ENV, TemporaryApi, heartbeats_if_asked


@contextlib.contextmanager
def temporary_api(while_booting: Callable[[TemporaryApi], object] = lambda api: None) -> Iterator[TemporaryApi]:
    """A temporary API server for the block, unless PREFECT_API_URL names one; `while_booting` runs meanwhile."""
    with TemporaryApi() as api:
        while_booting(api)
        with api.serving():
            yield api


def test_the_server_is_started_as_prefect_starts_its_own() -> None:
    """The one private use of Prefect: its server's command and environment, copied from SubprocessASGIServer."""
    from prefect.server.api.server import SubprocessASGIServer

    source = inspect.getsource(SubprocessASGIServer._run_uvicorn_command)
    for name in ("PREFECT_UI_ENABLED", "PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL"):
        assert f'"{name}": "{SERVER_ENV[name]}"' in source, name
    for argument in ("uvicorn", "--app-dir", "--factory", "prefect.server.api.server:create_app", "--lifespan"):
        assert f'"{argument}"' in source, argument
    assert APP_FACTORY == "mubiao.flows.api_app:create_app", "which makes Prefect's app (the test below)"


THE_APP_STARTED = """
import asyncio, gc
from mubiao.flows.api_app import create_app
from prefect.server.api.server import create_app as prefect_app

app = create_app()
assert not gc.isenabled(), "paused while the app is made"
assert app.router.routes and [r.path for r in app.router.routes] == [r.path for r in prefect_app(ignore_cache=True).router.routes]

async def started() -> None:
    async with app.router.lifespan_context(app):
        assert gc.isenabled(), "collecting again once the app has started"
        assert gc.get_freeze_count() > 100_000, "what start-up left is left out of collections"
        await asyncio.sleep(0.5)  # the services start before they are stopped

asyncio.run(started())
print("started")
"""


def test_the_server_app_is_prefect_s_made_with_the_collector_paused() -> None:
    """The factory the server's command names (flows/api_app.py) makes Prefect's app, with no automatic collection
    until the app has started, and the heap then frozen."""
    env = {**os.environ, **SERVER_ENV}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, "-c", THE_APP_STARTED], env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "started"


def test_a_temporary_api_serves_the_block_and_is_gone_after(monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL")
    with temporary_settings(restore_defaults={PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY}):
        booting = []
        with temporary_api(lambda api: booting.append((PREFECT_API_URL.value(), api.booting()))) as api:
            url = PREFECT_API_URL.value()
            assert not api.booting(), "it answers"
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None, (
                "no heartbeats for a server that ends with the run"
            )
            assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
            assert httpx.get(f"{url}/health").status_code == 200
            assert httpx.post(f"{url}/flows/filter", json={}).status_code == 200, "the API answers, not only /health"
        assert booting == [(None, True)], "the start-up work ran while the server booted, and knew it"
        assert not PREFECT_API_URL.value()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/health", timeout=1)


def test_a_server_not_needed_after_all_is_stopped_while_it_boots(monkeypatch) -> None:
    """`mubiao run` starts the server before it knows whether anything is new; a no-op stops it unused."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        api = TemporaryApi()
    server = api._server
    assert server is not None and server.poll() is None, "booting from the moment it is made"
    api.terminate()  # asks it to go, without waiting (mubiao run then writes its summary and pack)
    api.stop()
    assert server.poll() is not None
    api.stop()  # twice is harmless (a `finally` after the no-op's own stop)
    api.terminate()


def test_a_server_stopped_before_it_answers_is_killed_not_waited_for(monkeypatch) -> None:
    """uvicorn takes SIGTERM before it imports the app, and would finish booting first: up to 2 s of a no-op."""
    import signal

    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        api = TemporaryApi()
    server = api._server
    api.stop()
    assert server.returncode == -signal.SIGKILL


FLOW_THAT_LOGS = """
from prefect import flow, get_run_logger
from mubiao.flows.api_server import TemporaryApi

@flow
def says_something() -> str:
    for n in range(200):
        get_run_logger().warning("line %d", n)
    return "done"

with TemporaryApi() as api, api.serving():
    print(says_something())
"""


def test_a_flow_s_logs_are_sent_before_the_temporary_api_stops() -> None:
    """Logs still queued at exit would fail against a stopped server, each retried for a minute."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(
        [sys.executable, "-c", FLOW_THAT_LOGS],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("done")
    assert "Error logging to API" not in done.stderr


def test_a_configured_api_is_used_as_it_is() -> None:
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()
    assert configured, "the session's Prefect test harness sets one"
    ran = []
    with temporary_api(lambda api: ran.append(api.booting())):
        assert PREFECT_API_URL.value() == configured
    assert ran == [False], "no server of its own to wait for"


def test_a_server_that_cannot_start_is_a_one_line_error_not_a_wait(monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from mubiao.flows import api_server
    from mubiao.foundation.errors import MubiaoError

    monkeypatch.delenv("PREFECT_API_URL")
    started = []

    def failing(env: dict[str, str], output: int | None) -> tuple[subprocess.Popen, str]:
        started.append(True)
        return subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]), "http://127.0.0.1:9/api"

    monkeypatch.setattr(api_server, "_start", failing)
    with (
        temporary_settings(restore_defaults={PREFECT_API_URL}),
        pytest.raises(MubiaoError, match="退出码 3.*PREFECT_API_URL"),
        temporary_api(),
    ):
        pass
    assert len(started) == 1 + api_server.RESTARTS


KILLED_WITH_A_SERVER = """
import os, signal
from prefect.settings import PREFECT_API_URL
from mubiao.flows.api_server import TemporaryApi

with TemporaryApi() as api, api.serving():
    print(PREFECT_API_URL.value(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the server is tied to its parent with prctl(2)")
def test_a_run_killed_outright_leaves_no_server_behind() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WITH_A_SERVER],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert killed.returncode == -9
    url = killed.stdout.strip()
    assert url.startswith("http://127.0.0.1:")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
        except httpx.TransportError:
            return
        time.sleep(0.2)
    pytest.fail(f"the server at {url} outlived the run that started it")


def test_runs_send_heartbeats_only_when_the_office_asks_for_them(monkeypatch) -> None:
    """Prefect's default (one every 180 s, from a thread the flow's end waits for) is off; a frequency the office
    sets, for Prefect's automation that marks a silent run Crashed, is kept."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_FLOWS_HEARTBEAT_FREQUENCY}):
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 180
        with heartbeats_if_asked():
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}), heartbeats_if_asked():
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 60
