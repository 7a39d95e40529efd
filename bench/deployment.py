"""`mubiao serve` in the bench: its warm worker up before a timed `mubiao run`, and the monthly run as a deployment
run, one run of `mubiao-run/daily` triggered through the API as the UI's "Run" button does, timed from the API's
own timestamps.

A deployment run's wait before it starts (Prefect's runner poll, or the worker taking it) is told apart from the
run itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from mubiao.flows.worker import socket_path

FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
THROUGH_WORKER = "由工作进程运行"  # what `mubiao run` prints when its run went to the warm worker


@contextlib.contextmanager
def serving(
    mubiao: str, inbox: Path, warehouse: Path, env: dict[str, str], log: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`mubiao serve` of these paths against `env`'s PREFECT_API_URL, up as an office would have it: its worker
    answering on its socket and its run deployment registered with these paths; the deployment's id and the
    process."""
    api = env["PREFECT_API_URL"]
    command = [mubiao, "serve", "--inbox", str(inbox), "--warehouse", str(warehouse), "--cron", "0 0 1 1 *"]
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # an earlier serve left the deployment of its own paths: wait for this one's, else a run would be refused
        wanted = str(warehouse.resolve())
        deployment = _wait_for(lambda: _deployment_id(api, wanted), server, f"mubiao serve registered nothing ({log})")
        _wait_for(lambda: socket_path(warehouse).exists() or None, server, f"mubiao serve has no worker ({log})")
        yield deployment, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def measure_deployment_run(mubiao: str, inbox: Path, warehouse: Path, env: dict[str, str], log: Path) -> dict:
    """Serve the deployments against `env`'s PREFECT_API_URL, run the daily one once, and return its timings."""
    api = env["PREFECT_API_URL"]
    with serving(mubiao, inbox, warehouse, env, log) as (deployment, server):
        created = time.monotonic()  # a retried trigger counts in the wait
        for _ in range(20):  # a busy server answers 503 Service Unavailable for a moment
            response = httpx.post(f"{api}/deployments/{deployment}/create_flow_run", json={}, timeout=10)
            if response.status_code != 503:
                break
            time.sleep(0.5)
        if response.status_code >= 400:  # the report shows why, and the other figures survive
            return {"state": f"not created: {response.status_code} {response.text[:200]}", "wall": 0.0, "run": 0.0,
                    "waited": 0.0, "log": str(log)}  # fmt: skip
        run_id = response.json()["id"]
        final = _wait_for(lambda: _finished(api, run_id), server, "the deployment run did not finish")
        wall = time.monotonic() - created
    ran = 0.0  # a run that crashed before it started has no start time
    if final["start_time"] and final["end_time"]:
        start, end = (dt.datetime.fromisoformat(final[key]) for key in ("start_time", "end_time"))
        ran = (end - start).total_seconds()
    return {"state": final["state_type"], "wall": wall, "run": ran, "waited": wall - ran, "log": str(log)}


def _deployment_id(api: str, warehouse: str) -> str | None:
    response = httpx.get(f"{api}/deployments/name/mubiao-run/daily", timeout=5)
    if response.status_code != 200 or response.json()["parameters"].get("warehouse") != warehouse:
        return None
    return response.json()["id"]


def _finished(api: str, run_id: str) -> dict | None:
    run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=5).json()
    return run if run["state_type"] in FINAL_STATES else None


def _wait_for(check, server: subprocess.Popen, failure: str, timeout: float = 900):
    deadline = time.monotonic() + timeout
    while (found := check()) is None:
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(failure)
        time.sleep(0.2)
    return found
