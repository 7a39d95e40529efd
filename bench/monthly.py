"""The run an office waits for every month: the last month's files onto every earlier month already loaded.

Against one `prefect server` the bench starts on 127.0.0.1 and with a temporary server of the command's own (cold),
it times:
- the floor: Prefect's own hello-world flow of one task, on the bench's server;
- the monthly run: the zone's last month arriving on a warehouse that holds all the months before it, with
  `mubiao serve` up on that warehouse (`mubiao run` the thin client of its warm worker), at the bench's server
  without a worker, and cold;
- the same month alone, on an empty warehouse with the zone's references;
- the monthly run again, as a run of the deployment `mubiao serve` serves (bench/deployment.py);
- the bundled default zone, cold, from the command.

The history is loaded once, untimed, and copied for each timed run, so each starts from the same warehouse.
Files are hard links into the cached zone, so the inboxes cost no copying.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.deployment import THROUGH_WORKER, measure_deployment_run, serving
from bench.generate import PROGRESS_DIR, REFERENCE_DIR, VALUES_DIR, months

HELLO_WORLD = """
from prefect import flow, task

@task
def hello() -> str:
    return "hello"

@flow
def hello_world() -> str:
    return hello()

hello_world()
"""
DEFAULT_ZONE = Path(__file__).resolve().parents[1] / "data" / "default_zone"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def prefect_server(work: Path, env: dict[str, str]) -> Iterator[str]:
    """A `prefect server` of the bench's own, with a home of its own; its API's URL while the block lasts."""
    port = _free_port()
    home = work / "prefect-home"
    home.mkdir()
    server_env = {**env, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "false"}
    command = [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    with (work / "prefect-server.log").open("w") as log:
        server = subprocess.Popen(command, env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start; see {work / 'prefect-server.log'}")
            time.sleep(0.5)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _linked(source: Path, target: Path, keep) -> None:
    """Hard links in `target` to the files of `source` for which keep(relative path) holds."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_file() and keep(relative):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target / relative)


def _month_of(relative: Path, period: str) -> bool:
    """Whether a zone file belongs to `period` (2017年12月): its folder of values or its progress file."""
    parts = relative.parts
    return (parts[0] == VALUES_DIR and parts[1] == period) or (parts[0] == PROGRESS_DIR and period in parts[-1])


def _copy_warehouse(source: Path, target: Path) -> Path:
    """The history's warehouse, its landing store and its pack with the pack's cache (as an office's folder has
    them after last month's run), in a folder of their own."""
    target.mkdir()
    shutil.copy2(source / "warehouse.duckdb", target / "warehouse.duckdb")
    subprocess.run(["cp", "-al", str(source / "landing"), str(target / "landing")], check=True)
    if (source / "report").exists():  # the history's run writes it, unless its pack failed (a warning line)
        shutil.copytree(source / "report", target / "report")
    return target / "warehouse.duckdb"


def measure_monthly(spec, zone: Path, mubiao: str, env: dict[str, str], timed) -> dict:
    """The monthly figures of a zone (`zone/inbox`), each a cold subprocess timed by `timed(command, log, env)`."""
    work = Path(tempfile.mkdtemp(prefix="mubiao-bench-monthly-"))
    inbox = zone / "inbox"
    year, month = months(spec)[-1]
    period = f"{year}年{month:02d}月"
    history, alone = work / "history-inbox", work / "alone-inbox"
    _linked(inbox, history, lambda relative: not _month_of(relative, period))
    _linked(inbox, alone, lambda r: r.parts[0] == REFERENCE_DIR or _month_of(r, period) or len(r.parts) == 1)
    result: dict = {"month": period, "history_months": len(months(spec)) - 1, "work": str(work)}
    cold = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    with prefect_server(work, env) as url:
        served = {**env, "PREFECT_API_URL": url}
        floor = [timed([sys.executable, "-c", HELLO_WORLD], work / f"hello{i}.log", served) for i in range(3)]
        result["floor"] = min(run["seconds"] for run in floor)
        loaded = work / "history"
        loaded.mkdir()
        print(f"monthly: loading the {result['history_months']} months before {period} (untimed) …")
        history_run = timed([mubiao, "run", "--inbox", str(history), "--warehouse", str(loaded / "warehouse.duckdb")],
                            work / "history.log", served)  # fmt: skip
        result["history_seconds"] = history_run["seconds"]
        runs = {"served": served, "cold": cold}
        result.update(_monthly_and_alone(mubiao, (inbox, alone, loaded), work, runs, timed))
        result.update(_with_serve(mubiao, inbox, loaded, work, served, timed))
    default = [mubiao, "run", "--inbox", str(DEFAULT_ZONE), "--warehouse", str(work / "default" / "w.duckdb")]
    print("the bundled default zone, cold …")
    result["default_cold"] = timed(default, work / "default.log", cold)
    for folder in work.glob("*/landing"):
        shutil.rmtree(folder, ignore_errors=True)
    return result


def _monthly_and_alone(mubiao: str, paths: tuple[Path, Path, Path], work: Path, runs: dict, timed) -> dict:
    """The month onto a copy of the history, then alone on an empty warehouse, in each of `runs`' environments
    (served: at the bench's server, no worker; cold: the command's own temporary server)."""
    inbox, alone, loaded = paths
    result = {}
    for name, run_env in runs.items():
        tries = TRIES if name == "served" else 1
        best_of = f", best of {tries}" if tries > 1 else ""
        print(f"monthly: the month onto the history ({name}{best_of}) …")
        onto = []
        for i in range(tries):
            warehouse = _copy_warehouse(loaded, work / f"monthly-{name}-{i}")
            command = [mubiao, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
            onto.append(timed(command, warehouse.parent / "run.log", run_env))
        print(f"monthly: the month alone on an empty warehouse ({name}{best_of}) …")
        by_itself = []
        for i in range(tries):
            warehouse = work / f"alone-{name}-{i}" / "w.duckdb"
            command = [mubiao, "run", "--inbox", str(alone), "--warehouse", str(warehouse)]
            by_itself.append(timed(command, work / f"alone-{name}-{i}.log", run_env))
        result[f"monthly_{name}"] = min(onto, key=lambda run: run["seconds"])
        result[f"alone_{name}"] = min(by_itself, key=lambda run: run["seconds"])
    return result


TRIES = 3
"""The month at the bench's server, onto the history and alone, is timed as often as the floor, and the best kept:
the ratios compare like with like on a noisy machine."""


def _with_serve(mubiao: str, inbox: Path, loaded: Path, work: Path, served: dict[str, str], timed) -> dict:
    """The month onto a copy of the history with `mubiao serve` up on that copy (started and warm before the
    clock starts): `mubiao run` as the thin client of its worker, then, on a fresh copy and serve, a deployment run.
    Serve serves one inbox and warehouse, so each copy has its own."""
    warehouse = _copy_warehouse(loaded, work / "monthly-worker")
    print("monthly: starting mubiao serve on a copy of the history (untimed) …")
    with serving(mubiao, inbox, warehouse, served, work / "serve-worker.log"):
        command = [mubiao, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
        print("monthly: the month onto the history, mubiao run through the warm worker of mubiao serve …")
        worker = timed(command, work / "monthly-worker.log", served)
    worker["through_worker"] = THROUGH_WORKER in Path(worker["log"]).read_text(errors="replace")
    print("monthly: the month onto the history, as a run of the deployment that `mubiao serve` serves …")
    warehouse = _copy_warehouse(loaded, work / "monthly-deployment")
    deployment = measure_deployment_run(mubiao, inbox, warehouse, served, work / "monthly-deployment.log")
    return {"monthly_worker": worker, "deployment": deployment}


def report_monthly(result: dict) -> None:
    """Print the monthly figures in detail (the issue's table, bench/table.py, gives their goals)."""
    floor, worker, served, cold = (result[k] for k in ("floor", "monthly_worker", "monthly_served", "monthly_cold"))
    alone_served, alone_cold, deployment = result["alone_served"], result["alone_cold"], result["deployment"]
    lines = [
        ("Prefect hello-world flow (at the bench's server, best of 3)", f"{floor:.2f} s  (the floor)"),
        (f"monthly: {result['month']} onto {result['history_months']} months, with mubiao serve up",
         f"{worker['seconds']:.2f} s (peak RSS of the client {worker['rss_gib']:.2f} GiB)"),
        (f"monthly, at the bench's server, no worker (best of {TRIES})",
         f"{served['seconds']:.2f} s (peak RSS {served['rss_gib']:.2f} GiB)"),
        ("monthly, cold (the command's temporary server)", f"{cold['seconds']:.2f} s"),
        (f"{result['month']} alone, empty warehouse, at the bench's server (best of {TRIES})",
         f"{alone_served['seconds']:.2f} s"),
        ("alone, cold", f"{alone_cold['seconds']:.2f} s"),
        ("monthly, a deployment run (mubiao serve)",
         f"{deployment['wall']:.2f} s from the trigger to its end ({deployment['state']}): "
         f"{deployment['waited']:.2f} s before the flow started, {deployment['run']:.2f} s of flow"),
        ("bundled default zone, cold", f"{result['default_cold']['seconds']:.2f} s"),
    ]  # fmt: skip
    runs = ("monthly_worker", "monthly_served", "monthly_cold", "alone_served", "alone_cold", "default_cold")
    failed = [f"{name} (log {result[name]['log']})" for name in runs if result[name]["exit"] != 0]
    if not worker["through_worker"]:
        failed.append(f"monthly_worker ran in its own process, not the worker (log {worker['log']})")
    if deployment["state"] != "COMPLETED":
        failed.append(f"deployment (log {deployment['log']})")
    if failed:
        lines.append(("runs that failed", "; ".join(failed)))
    width = max(len(key) for key, _ in lines)
    print()
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
