"""The wiring of configuration to deployments: `mubiao-run` on a schedule, `mubiao-backfill` on demand, and
`mubiao-remind` some days before each due day (and the day after it, when a notification block is named).

`mubiao serve` registers the deployments with a running Prefect server and executes their runs in its own
process, the served warehouse's warm worker (flows/deployment_runs.py): the schedule's runs and any run triggered
from the UI or `prefect deployment run`, and `mubiao run` on the served paths (flows/worker.py). The paths in their
parameters are shown, not chosen: a run given others is refused (flows/served.py).
"""

from __future__ import annotations

import logging
import os
import sys
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from mubiao.flows.served import pinned, refusal, require_guarded_api
from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.settings import read_settings

RUN_DEPLOYMENT = "daily"
BACKFILL_DEPLOYMENT = "on-demand"
REMIND_DEPLOYMENT = "monthly"
REMIND_HOUR = 8
"""催报 runs at 8:00 (zone time), after the daily run of 7:00 by default."""


class Served(BaseModel):
    """What `mubiao serve` was told, said once: its options, handed on whole to the process that serves."""

    model_config = ConfigDict(frozen=True)

    inbox: Path
    warehouse: Path
    cron: str
    timezone: str
    due_day: int
    remind_days: int
    notify_block: str | None
    trusted_network: bool

    def resolved(self) -> Served:
        """The same, with absolute paths: the serving process and its runs start in a folder of their own."""
        return self.model_copy(update={"inbox": self.inbox.resolve(), "warehouse": self.warehouse.resolve()})


def _no_server(url: str | None) -> str:
    """How to start the server `url` names, or else the one the settings name (PREFECT_SERVER_API_PORT)."""
    from prefect.settings import PREFECT_SERVER_API_PORT

    port = (urlsplit(url).port if url else None) or PREFECT_SERVER_API_PORT.value()
    url = url or f"http://127.0.0.1:{port}/api"
    return (
        f"需要一个运行中的 Prefect 服务器：在另一终端运行 PREFECT_SERVER_API_PORT={port} prefect server start，"
        f"再设置 export PREFECT_API_URL={url}"
    )


def require_server() -> str:
    """The Prefect API URL, after checking that a server answers there; a one-line error otherwise."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise MubiaoError(f"未设置 PREFECT_API_URL。{_no_server(None)}")
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=5).raise_for_status()
    except httpx.HTTPError as error:
        raise MubiaoError(f"无法连接 Prefect 服务器 {url}（{type(error).__name__}）。{_no_server(url)}") from None
    return url


def schedule(cron: str, timezone: str):
    """A Prefect cron schedule, or a one-line error naming what is wrong with the expression or the zone."""
    from prefect.schedules import Cron

    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MubiaoError(f"无法识别的时区：{timezone!r}（例如 Asia/Shanghai）") from None
    try:
        return Cron(cron, timezone=timezone)
    except ValueError:
        raise MubiaoError(f'无法识别的 cron 表达式：{cron!r}（例如 "0 7 * * *" 即每天 7:00）') from None


def remind_crons(due_day: int, remind_days: int, notify: bool) -> list[str]:
    """催报 `remind_days` before the due day and, with a notification to send, the day after it."""
    if not 1 <= remind_days < due_day:
        raise MubiaoError(
            f"--remind-days {remind_days} 无效：应在 1 到 {due_day - 1} 之间（截止日为次月 {due_day} 日，催报须在当月内）"
        )
    crons = [f"0 {REMIND_HOUR} {due_day - remind_days} * *"]
    if notify:
        crons.append(f"0 {REMIND_HOUR} {due_day + 1} * *")
    return crons


def deployments(served: Served) -> list:
    """The deployments `mubiao serve` serves, with absolute paths as their parameters."""
    from prefect.types.entrypoint import EntrypointType

    from mubiao.flows.backfill import mubiao_backfill
    from mubiao.flows.remind import mubiao_remind
    from mubiao.flows.run import mubiao_run

    cron, timezone, due_day, notify_block = served.cron, served.timezone, served.due_day, served.notify_block
    inbox, warehouse = str(served.inbox.resolve()), str(served.warehouse.resolve())
    reminding = remind_crons(due_day, served.remind_days, notify_block is not None)
    after_due = f"；截止日后一天（{due_day + 1} 日）通过 {notify_block} 发送逾期名单" if notify_block else ""

    return [
        mubiao_run.to_deployment(
            name=RUN_DEPLOYMENT,
            schedules=[schedule(cron, timezone)],
            parameters={"inbox": inbox, "warehouse": warehouse, "due_day": due_day},
            description=f"收取收件箱中的新文件并重建数据集市（{cron}，{timezone}）",
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        mubiao_backfill.to_deployment(
            name=BACKFILL_DEPLOYMENT,
            parameters={"warehouse": warehouse, "due_day": due_day},
            description="按需补算：参数 start、end 为起止月份（如 2017-01、2017-09），从落地区重算并重建数据集市",
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        mubiao_remind.to_deployment(
            name=REMIND_DEPLOYMENT,
            schedules=[schedule(c, timezone) for c in reminding],
            parameters={"warehouse": warehouse, "due_day": due_day, "notify_block": notify_block},
            description=(
                f"催报：每月 {due_day - served.remind_days} 日（截止日前 {served.remind_days} 天）为上月仍未报齐的单位"
                f"写催报通知{after_due}（{timezone}）"
            ),
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    ]


def serve(served: Served) -> None:
    """Check what `mubiao serve` was told and the API it would serve on, then become the process that serves
    these paths alone: this process's image is replaced by `mubiao serving` (`serve_pinned`), with the paths
    pinned in the environment it is given (flows/served.py), so that nothing writes this process's environment.
    """
    if not served.inbox.is_dir():
        raise MubiaoError(f"收件箱不存在：{served.inbox}")
    remind_crons(served.due_day, served.remind_days, served.notify_block is not None)
    schedule(served.cron, served.timezone)  # a bad option is a one-line error before the server is asked
    require_guarded_api(require_server(), served.trusted_network)
    served = served.resolved()
    environment = {**os.environ, **pinned(inbox=served.inbox, warehouse=served.warehouse)}
    sys.stdout.flush()
    sys.stderr.flush()
    # -P: the working folder is not on the path, so that nothing there (a `mubiao/`) stands in for the code
    command = [sys.executable, "-P", "-c", "from mubiao.cli.main import main; main()"]
    os.execve(sys.executable, [*command, "serving", served.model_dump_json()], environment)


def serve_pinned(served: Served) -> None:
    """Register the deployments and run their flow runs until interrupted, in a process whose environment pins
    the served paths (and in no other: a run's refusal would have nothing to compare with).

    This process is the served warehouse's warm worker: deployment runs (flows/deployment_runs.py) and `mubiao run`
    on these paths (flows/worker.py) run here, one at a time, with everything they import imported once. Nothing
    is imported from the working folder: `serve` started this process with `-P`, and no run starts a Python of its
    own with that folder first on its path, as Prefect's runner does.
    """
    if refusal(inbox=served.inbox, warehouse=served.warehouse) is not None or not read_settings().served_paths:
        raise MubiaoError("只能由 mubiao serve 启动")
    import threading

    from mubiao.flows.deployment_runs import run_deployments
    from mubiao.flows.worker import socket_path, work

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(in_words_alone)
    turn = threading.Lock()
    threading.Thread(target=work, args=(served.warehouse, turn), name="mubiao-worker", daemon=True).start()
    try:
        run_deployments(deployments(served), turn)
    finally:  # the worker's thread ends with the process, before its own cleanup could run
        socket_path(served.warehouse).unlink(missing_ok=True)


def in_words_alone(record: logging.LogRecord) -> bool:
    """A run that fails for a reason said in words (a full disk, a warehouse held too long) is logged in one line,
    in serve's terminal and in the UI, without the traceback Prefect's engine attaches to any exception."""
    from mubiao.foundation.disk import disk_fault

    error = record.exc_info[1] if record.exc_info else None
    if error is not None and (isinstance(error, MubiaoError) or disk_fault(error)):
        record.exc_info = record.exc_text = None
    return True
