"""The run an office waits for every month: the last month's files onto every earlier month already loaded.

Against one `prefect server` the bench starts on 127.0.0.1 (served) and with a temporary server of the command's
own (cold), it times:
- the floor: Prefect's own hello-world flow of one task, on the same server;
- the monthly run: the zone's last month arriving on a warehouse that holds all the months before it;
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

from bench.deployment import measure_deployment_run
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
    """The history's warehouse and its landing store, in a folder of their own."""
    target.mkdir()
    shutil.copy2(source / "warehouse.duckdb", target / "warehouse.duckdb")
    subprocess.run(["cp", "-al", str(source / "landing"), str(target / "landing")], check=True)
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
        for name, run_env in (("served", served), ("cold", cold)):
            warehouse = _copy_warehouse(loaded, work / f"monthly-{name}")
            command = [mubiao, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
            print(f"monthly: {period} onto the history ({name}) …")
            result[f"monthly_{name}"] = timed(command, work / f"monthly-{name}.log", run_env)
            command = [mubiao, "run", "--inbox", str(alone), "--warehouse", str(work / f"alone-{name}" / "w.duckdb")]
            print(f"monthly: {period} alone on an empty warehouse ({name}) …")
            result[f"alone_{name}"] = timed(command, work / f"alone-{name}.log", run_env)
        print(f"monthly: {period} onto the history, as a run of the deployment that `mubiao serve` serves …")
        warehouse = _copy_warehouse(loaded, work / "monthly-deployment")
        result["deployment"] = measure_deployment_run(mubiao, inbox, warehouse, served, work / "monthly-deployment.log")
    default = [mubiao, "run", "--inbox", str(DEFAULT_ZONE), "--warehouse", str(work / "default" / "w.duckdb")]
    print("the bundled default zone, cold …")
    result["default_cold"] = timed(default, work / "default.log", cold)
    for folder in work.glob("*/landing"):
        shutil.rmtree(folder, ignore_errors=True)
    return result


def _deployment_line(run: dict, command_seconds: float) -> str:
    return (f"{run['wall']:.2f} s from the trigger = {run['wall'] / command_seconds:.2f}× the command ({run['state']}): "
            f"{run['waited']:.2f} s before the flow started (the runner's poll, its subprocess, the imports), "
            f"{run['run']:.2f} s of flow")  # fmt: skip


def report_monthly(result: dict, size: str) -> list[tuple[str, float | None, float, str, bool]]:
    """Print the monthly figures; return their goals as run.py's report lists them."""
    floor, served, cold = result["floor"], result["monthly_served"], result["monthly_cold"]
    alone_served, alone_cold, default = result["alone_served"], result["alone_cold"], result["default_cold"]
    over_floor, over_alone = served["seconds"] / floor, served["seconds"] / alone_served["seconds"]
    lines = [
        ("Prefect hello-world flow (served, best of 3)", f"{floor:.2f} s  (the floor)"),
        (f"monthly: {result['month']} onto {result['history_months']} months, served",
         f"{served['seconds']:.2f} s = {over_floor:.1f}× the floor (peak RSS {served['rss_gib']:.2f} GiB)"),
        ("monthly, cold (temporary server)", f"{cold['seconds']:.2f} s"),
        (f"{result['month']} alone, empty warehouse, served", f"{alone_served['seconds']:.2f} s"),
        ("alone, cold", f"{alone_cold['seconds']:.2f} s"),
        ("monthly / alone (served)", f"{over_alone:.2f}×"),
        ("monthly, a deployment run (mubiao serve)", _deployment_line(result["deployment"], served["seconds"])),
        ("bundled default zone, cold", f"{default['seconds']:.2f} s"),
    ]  # fmt: skip
    failed = [name for name in ("monthly_served", "monthly_cold", "alone_served", "alone_cold", "default_cold")
              if result[name]["exit"] != 0]  # fmt: skip
    if result["deployment"]["state"] != "COMPLETED":
        failed.append("deployment")
    if failed:
        lines.append(("runs that failed", ", ".join(f"{n} (log {result[n]['log']})" for n in failed)))
    width = max(len(key) for key, _ in lines)
    print()
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    return [
        ("monthly ≤ 2× hello-world floor at S (served)", over_floor, 2, f"{over_floor:.1f}×", size == "S"),
        ("monthly ≤ 1.2× the month alone at M (served)", over_alone, 1.2, f"{over_alone:.2f}×", size == "M"),
        ("bundled default zone, cold ≤ 5 s", default["seconds"], 5, f"{default['seconds']:.2f} s", True),
    ]
