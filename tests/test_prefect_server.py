"""A real `prefect server`, `mubiao serve` against it, and a deployment run triggered through the API.

One server for the module, on 127.0.0.1 at a free port with its own PREFECT_HOME; each process is started in its
own process group and the whole group is ended at the end, so nothing is left running.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import plant_lookalikes, query
from tests.synthetic_zone import write_zone

BIN = Path(sys.executable).parent
durations: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(what: str, ready, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what}: the process ended with {process.returncode}:\n{log.read_text()}")
        if ready():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not ready after {timeout} s")


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process's whole group; fail (after a SIGKILL) if any member outlives it by 20 s."""
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(group, signal.SIGKILL)
    raise AssertionError(f"process group {group} outlived SIGTERM: {process.args}")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A `prefect server start` of its own: (API URL, the environment its clients use)."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    url = f"http://127.0.0.1:{_free_port()}/api"
    env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        PREFECT_API_URL=url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    port = url.split(":")[2].split("/")[0]
    started = time.monotonic()
    process = _start(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", port], env, home / "server.log"
    )
    try:
        _wait("prefect server", lambda: _healthy(url), 90, process, home / "server.log")
        durations["server start"] = time.monotonic() - started
        yield url, env
    finally:
        started = time.monotonic()
        _stop(process)
        durations["server stop"] = time.monotonic() - started
        print("\nprefect server test durations: " + ", ".join(f"{k} {v:.1f} s" for k, v in durations.items()))


def _deployment(url: str, name: str) -> dict | None:
    response = httpx.get(f"{url}/deployments/name/{name}", timeout=5)
    return response.json() if response.status_code == 200 else None


def _marts(warehouse: Path) -> dict[str, list[dict]]:
    return {
        table: query(warehouse, f"select * from marts.{table} order by all")
        for table in ("target_completion", "project_investment_by_category", "unit_scorecard", "annual_review")
    }


def test_serve_registers_the_deployments_and_runs_them_when_triggered_through_the_api(server, tmp_path: Path) -> None:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url, env = server
    inbox, warehouse = write_zone(tmp_path / "inbox"), tmp_path / "wh" / "warehouse.duckdb"
    started = time.monotonic()
    serving = _start(
        [str(BIN / "mubiao"), "serve", "--inbox", str(inbox), "--warehouse", str(warehouse), "--cron", "30 6 * * 1-5"],
        env,
        tmp_path / "serve.log",
    )
    try:
        _wait(
            "mubiao serve",
            lambda: _deployment(url, "mubiao-run/daily") and _deployment(url, "mubiao-backfill/on-demand"),
            60,
            serving,
            tmp_path / "serve.log",
        )
        durations["deployments registered"] = time.monotonic() - started
        deployment = _deployment(url, "mubiao-run/daily")
        [schedule] = deployment["schedules"]
        assert schedule["schedule"]["cron"] == "30 6 * * 1-5"
        assert schedule["schedule"]["timezone"] == "Asia/Shanghai"
        assert deployment["parameters"]["inbox"] == str(inbox.resolve())
        assert deployment["parameters"]["warehouse"] == str(warehouse.resolve())
        backfill = _deployment(url, "mubiao-backfill/on-demand")
        assert backfill["schedules"] == [], "backfills run on demand only"
        assert backfill["parameters"] == {"warehouse": str(warehouse.resolve()), "due_day": 5}

        started = time.monotonic()
        with temporary_settings(updates={PREFECT_API_URL: url}):
            flow_run = run_deployment("mubiao-run/daily", parameters={"due_day": 10}, timeout=180, poll_interval=1)
        durations["triggered run"] = time.monotonic() - started
        assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text())
        ran_in = f"{socket.gethostname()}:{serving.pid}"  # serve's own process (its worker), not a subprocess
        assert flow_run.infrastructure_pid == ran_in, (flow_run.infrastructure_pid, ran_in)
        loaded = _marts(warehouse)
        packs = list((warehouse.parent / "report").glob("*/report.html"))
        assert packs, "a served run writes the meeting pack, as the command line's does"

        started = time.monotonic()
        with temporary_settings(updates={PREFECT_API_URL: url}):
            flow_run = run_deployment(
                "mubiao-backfill/on-demand",
                parameters={"start": "2020-04", "end": "2020-12", "due_day": 10},
                timeout=180,
                poll_interval=1,
            )
        durations["triggered 9-month backfill"] = time.monotonic() - started
        assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text())
        _run_beside_serve(inbox, warehouse, env, tmp_path)
    finally:
        _stop(serving)

    assert _deployment(url, "mubiao-run/daily")["paused"], (
        "stopped, serve pauses its schedules as Prefect's runner does"
    )
    assert not (warehouse.parent / "warehouse.duckdb.worker").exists(), "and takes its worker's socket with it"
    assert "正在服务以下部署" in (tmp_path / "serve.log").read_text()
    assert _marts(warehouse) == loaded, "a backfill with nothing corrected restates the same marts"
    [files] = query(warehouse, "select count(*) as n from audit.files where status = 'loaded'")
    assert files["n"] == sum(1 for path in inbox.iterdir() if path.is_file())
    assert query(warehouse, "select distinct due_day from audit.builds") == [{"due_day": 10}]
    statuses = query(warehouse, "select status, count(*) as n from marts.target_completion group by all")
    assert sum(row["n"] for row in statuses) > 0


def _run_beside_serve(inbox: Path, warehouse: Path, env: dict[str, str], tmp_path: Path) -> None:
    """`mubiao run` on the served paths runs in serve's warm worker; on another inbox it is declined there and
    runs in its own process."""

    def run(folder: Path) -> str:
        command = [str(BIN / "mubiao"), "run", "--inbox", str(folder), "--warehouse", str(warehouse)]
        done = subprocess.run([*command, "--due-day", "10"], env=dict(env, COLUMNS="400"), capture_output=True)
        assert done.returncode == 0, done
        return done.stdout.decode() + done.stderr.decode()

    first = sorted(p for p in inbox.iterdir() if p.is_file())[0]
    (inbox / "again").mkdir()  # a copy the inbox's count of files leaves out: the run has news, loads nothing
    shutil.copy2(first, inbox / "again" / first.name)
    started = time.monotonic()
    served = run(inbox)
    durations["mubiao run in serve's worker"] = time.monotonic() - started
    assert "由工作进程运行" in served and "全部为已入库文件的重复" in served, served
    (tmp_path / "other").mkdir()
    other = run(tmp_path / "other")
    assert "由工作进程运行" not in other and "收件箱中没有新文件" in other, other


@pytest.mark.parametrize("api_url", [None, "closed port"])
def test_serve_without_a_server_says_how_to_start_one_in_one_line(api_url, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path)
    if api_url:
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{_free_port()}/api"
    done = subprocess.run(
        [str(BIN / "mubiao"), "serve", "--inbox", str(tmp_path)],
        env=dict(env, COLUMNS="400"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("错误：") and "prefect server start" in line and "PREFECT_API_URL" in line


@pytest.mark.parametrize("setting", ["PREFECT_API_URL", "PREFECT_SERVER_API_PORT"])
def test_serve_names_the_port_that_is_configured(setting, tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_SERVER_API"))}
    env.update(PREFECT_HOME=str(tmp_path), COLUMNS="400")
    env[setting] = f"http://127.0.0.1:{port}/api" if setting == "PREFECT_API_URL" else str(port)
    done = subprocess.run(
        [str(BIN / "mubiao"), "serve", "--inbox", str(tmp_path)], env=env, capture_output=True, text=True, timeout=60
    )
    [line] = done.stderr.strip().splitlines()
    assert f"PREFECT_SERVER_API_PORT={port} prefect server start" in line, line
    assert f"PREFECT_API_URL=http://127.0.0.1:{port}/api" in line and ":4200" not in line, line


def test_a_bad_cron_or_time_zone_is_a_one_line_error() -> None:
    from mubiao.flows.deployments import schedule
    from mubiao.foundation.errors import MubiaoError

    assert schedule("0 7 * * *", "Asia/Shanghai").timezone == "Asia/Shanghai"
    with pytest.raises(MubiaoError, match="无法识别的 cron 表达式"):
        schedule("0 7 * *", "Asia/Shanghai")
    with pytest.raises(MubiaoError, match="无法识别的时区"):
        schedule("0 7 * * *", "Asia/Beijing")


def _trigger(url: str, name: str, parameters: dict):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}):
        return run_deployment(name, parameters=parameters, timeout=180, poll_interval=1)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_served_run_keeps_to_the_paths_serve_was_given_whatever_the_working_folder_holds(
    server, tmp_path: Path
) -> None:
    """Served from a folder of lookalike packages (the pack's report/ …): runs and backfills complete; a run
    triggered with another inbox or warehouse is refused, and nothing is read or written there."""
    url, env = server
    office = tmp_path / "office"
    office.mkdir()
    plant_lookalikes(office)
    inbox, warehouse = write_zone(office / "inbox"), office / "warehouse.duckdb"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other_inbox = write_zone(elsewhere / "inbox")
    before = _tree(elsewhere)
    serving = subprocess.Popen(
        [str(BIN / "mubiao"), "serve", "--inbox", "inbox", "--warehouse", "warehouse.duckdb"],
        cwd=office,
        env=env,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait("mubiao serve", lambda: _deployment(url, "mubiao-run/daily"), 60, serving, tmp_path / "serve.log")
        for name, parameters in (
            ("mubiao-run/daily", {"inbox": str(other_inbox), "warehouse": str(elsewhere / "wh.duckdb")}),
            ("mubiao-run/daily", {"warehouse": str(elsewhere / "wh.duckdb")}),
            (
                "mubiao-backfill/on-demand",
                {"start": "2020-01", "end": "2020-02", "warehouse": str(elsewhere / "wh.duckdb")},
            ),
        ):
            refused = _trigger(url, name, parameters)
            assert refused.state.is_failed(), (refused.state, (tmp_path / "serve.log").read_text())
            assert refused.state.message.startswith("已拒绝："), refused.state.message
        assert _tree(elsewhere) == before, "a refused run reads and writes nothing there"
        assert not warehouse.exists(), "nor in the served place"

        log = (tmp_path / "serve.log").read_text
        assert _trigger(url, "mubiao-run/daily", {}).state.is_completed(), log()
        assert _trigger(
            url, "mubiao-backfill/on-demand", {"start": "2020-01", "end": "2020-03"}
        ).state.is_completed(), log()
    finally:
        _stop(serving)
    assert (office / "report").is_dir() and any((office / "report").glob("*/report.html")), "the pack beside report/"
    [files] = query(warehouse, "select count(*) as n from audit.files where status = 'loaded'")
    assert files["n"] == sum(1 for path in inbox.iterdir() if path.is_file())


def test_serve_refuses_an_api_other_machines_reach_without_a_login(server, tmp_path: Path) -> None:
    url, env = server
    command = [str(BIN / "mubiao"), "serve", "--inbox", str(write_zone(tmp_path / "inbox"))]
    done = subprocess.run(
        command,
        env=dict(env, PREFECT_SERVER_API_HOST="0.0.0.0", COLUMNS="400"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("错误：") and "PREFECT_SERVER_API_AUTH_STRING" in line and "--trusted-network" in line


@pytest.mark.parametrize(
    ("api_url", "server_host", "login", "trusted", "refused"),
    [
        ("http://127.0.0.1:4200/api", "127.0.0.1", None, False, False),
        ("http://localhost:4200/api", "127.0.0.1", None, False, False),
        ("http://10.20.30.40:4200/api", "127.0.0.1", None, False, True),
        ("http://127.0.0.1:4200/api", "0.0.0.0", None, False, True),
        ("http://10.20.30.40:4200/api", "0.0.0.0", "office:secret", False, False),
        ("http://10.20.30.40:4200/api", "0.0.0.0", None, True, False),
    ],
)
def test_which_api_addresses_serve_accepts(api_url, server_host, login, trusted, refused) -> None:
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_SERVER_API_HOST, temporary_settings

    from mubiao.flows.served import require_guarded_api
    from mubiao.foundation.errors import MubiaoError

    with temporary_settings(updates={PREFECT_SERVER_API_HOST: server_host, PREFECT_API_AUTH_STRING: login}):
        if refused:
            with pytest.raises(MubiaoError, match="--trusted-network"):
                require_guarded_api(api_url, trusted)
        else:
            require_guarded_api(api_url, trusted)


def test_serve_runs_the_remind_deployment_which_writes_the_notices_and_sends_the_list_after_the_due_day(
    server, tmp_path: Path
) -> None:
    """`mubiao-remind/monthly`: two days before the due day and, with a notification block named, the day after it;
    a triggered run writes a notice per unit that owes into the feedback folder and sends the list to the office's
    webhook (a recorder on 127.0.0.1); one given another warehouse is refused."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from tests.webhook_recorder import webhook_recorder

    url, env = server
    inbox, warehouse = write_zone(tmp_path / "inbox"), tmp_path / "wh" / "warehouse.duckdb"
    subprocess.run(
        [str(BIN / "mubiao"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    with webhook_recorder() as (hook, received):
        with temporary_settings(updates={PREFECT_API_URL: url}):
            CustomWebhookNotificationBlock(name="催报", url=hook, json_data={"text": "{{subject}}\n{{body}}"}).save(
                "office", overwrite=True
            )
        command = [str(BIN / "mubiao"), "serve", "--inbox", str(inbox), "--warehouse", str(warehouse)]
        serving = _start(
            [*command, "--due-day", "10", "--remind-days", "2", "--notify-block", "custom-webhook/office"],
            env,
            tmp_path / "serve.log",
        )
        log = (tmp_path / "serve.log").read_text
        try:

            def registered() -> bool:  # this serve's, not an earlier test's deployment of the same name
                found = _deployment(url, "mubiao-remind/monthly")
                return bool(found) and found["parameters"].get("warehouse") == str(warehouse.resolve())

            _wait("mubiao serve", registered, 60, serving, tmp_path / "serve.log")
            deployment = _deployment(url, "mubiao-remind/monthly")
            crons = sorted(s["schedule"]["cron"] for s in deployment["schedules"])
            assert crons == ["0 8 11 * *", "0 8 8 * *"], "two days before the 10th, and the day after it"
            assert {s["schedule"]["timezone"] for s in deployment["schedules"]} == {"Asia/Shanghai"}
            assert deployment["parameters"] == {
                "warehouse": str(warehouse.resolve()),
                "due_day": 10,
                "notify_block": "custom-webhook/office",
            }
            refused = _trigger(url, "mubiao-remind/monthly", {"period": "2021-07", "warehouse": str(tmp_path / "x")})
            assert refused.state.is_failed() and refused.state.message.startswith("已拒绝："), refused.state.message
            ran = _trigger(url, "mubiao-remind/monthly", {"period": "2021-07"})
            assert ran.state.is_completed(), (ran.state, log())
        finally:
            _stop(serving)
    notices = sorted((warehouse.parent / "feedback" / "2021-07").glob("2021-07_催报通知_*.xlsx"))
    owing = query(
        warehouse,
        "select distinct unit_code from core.reporting_obligations"
        " where coalesce(year, 2021) = 2021 and list_contains(months, 7)",
    )
    assert len(notices) == len(owing) > 0, "every unit that owes July 2021, which nobody has reported"
    [request] = received
    subject, *lines = request["json"]["text"].splitlines()
    assert subject.startswith("2021年7月统计数据逾期未报齐") and "截止 2021年08月10日" in subject
    assert len(lines) == len(notices)


def test_a_deployment_run_whose_serve_dies_is_marked_crashed_and_the_next_run_loses_nothing(
    server, tmp_path: Path
) -> None:
    """serve, the worker the deployment runs execute in, killed mid-run (SIGKILL at a checkpoint): the run it
    leaves Running is marked Crashed when serve starts again, and the next run takes in every file."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url, env = server
    inbox, warehouse = write_zone(tmp_path / "inbox"), tmp_path / "wh" / "warehouse.duckdb"
    command = [str(BIN / "mubiao"), "serve", "--inbox", str(inbox), "--warehouse", str(warehouse)]

    def registered() -> bool:  # this serve's, not an earlier test's deployment of the same name
        found = _deployment(url, "mubiao-run/daily")
        return bool(found) and found["parameters"].get("warehouse") == str(warehouse.resolve())

    def state(run_id) -> str:
        return httpx.get(f"{url}/flow_runs/{run_id}", timeout=5).json()["state_type"]

    dying = _start(command, dict(env, MUBIAO_KILL_AT="ingested"), tmp_path / "dying.log")
    _wait("mubiao serve", registered, 60, dying, tmp_path / "dying.log")
    with temporary_settings(updates={PREFECT_API_URL: url}):
        killed = run_deployment("mubiao-run/daily", timeout=0)  # created; not waited for
    assert dying.wait(timeout=180) == -signal.SIGKILL, (tmp_path / "dying.log").read_text()
    assert state(killed.id) == "RUNNING", "nobody is left to say the run ended"
    serving = _start(command, env, tmp_path / "serve.log")
    try:
        _wait("the dead serve's run marked", lambda: state(killed.id) == "CRASHED", 60, serving, tmp_path / "serve.log")
        again = _trigger(url, "mubiao-run/daily", {})
        assert again.state.is_completed(), (again.state, (tmp_path / "serve.log").read_text())
    finally:
        _stop(serving)
    [files] = query(warehouse, "select count(*) as n from audit.files where status = 'loaded'")
    assert files["n"] == sum(1 for path in inbox.iterdir() if path.is_file())
