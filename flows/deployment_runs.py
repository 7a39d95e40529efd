"""Deployment runs in the warm worker: the runs that the schedules, the UI's Run button and the API start for the
deployments `mubiao serve` registers, executed in this process, where the flows are already imported.

Prefect's own runner (`prefect.serve`) asks for due runs every 10 s and starts each in a subprocess that imports
Prefect, GX and the flow again (Prefect issues #21944, #14423). Here the deployments are registered as the runner
registers them, the API is asked for due runs five times a second, and each run is claimed as the runner claims it
(a proposed Pending state) and handed to the engine's entry point, `prefect.flow_engine.run_flow`, in this
process. It runs under the worker's turn (flows/worker.py), so that a deployment run and a `mubiao run` sent to
the worker never overlap: the warehouse's writer lock is a process's, not a thread's.

A run the process died in is marked Crashed when serve starts again, as the runner marks one whose subprocess
died; its warehouse is left as any killed run leaves it (docs/design.md, "Crash safety").
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import threading
from uuid import UUID

from mubiao.foundation.runtime import heap_settled

POLL_SECONDS = 0.2


def run_deployments(deployments: list, turn: threading.Lock) -> None:
    """Register `deployments` and run their due runs here, one at a time under `turn`, until Ctrl+C or SIGTERM;
    then, once the run in progress (a deployment's or the socket's) has ended, their schedules are paused, as
    `prefect.serve` pauses them. A second Ctrl+C ends serve at once."""
    from prefect.client.orchestration import get_client
    from prefect.flows import load_flow_from_entrypoint

    flows = {deployment.apply(): load_flow_from_entrypoint(deployment.entrypoint) for deployment in deployments}
    names = [f"{flow.name}/{deployment.name}" for deployment, flow in zip(deployments, flows.values(), strict=True)]
    print("正在服务以下部署（Ctrl+C 停止）：" + "、".join(names), flush=True)
    print(f"在 Prefect 界面点 Run，或运行 prefect deployment run {names[0]}，即触发一次运行", flush=True)
    stop = _Stop()
    with get_client(sync_client=True) as client:
        _crashed_before(client, list(flows))
        try:
            while not stop.asked.is_set():
                stop.listen()
                due = client.get_scheduled_flow_runs_for_deployments(
                    list(flows), scheduled_before=dt.datetime.now(dt.UTC)
                )
                for flow_run in sorted(due, key=lambda run: run.expected_start_time or run.created):
                    with turn:
                        _run(client, flows[flow_run.deployment_id], flow_run.id)
                        heap_settled()
                stop.asked.wait(POLL_SECONDS)
            with turn:  # a run the worker's socket started ends first
                print("已停止服务；各部署的计划已暂停，重新运行 mubiao serve 即恢复", flush=True)
        finally:
            for deployment_id in flows:
                client.pause_deployment(deployment_id)


class _Stop:
    """Ctrl+C or a service manager's SIGTERM asks serve to stop between runs; a second one stops it at once.

    The handler only sets a flag: an exception raised wherever the main thread happens to be (inside the API
    client's request) could be caught there: serve went on serving after Ctrl+C in 3 of 24 trials."""

    def __init__(self) -> None:
        self.asked = threading.Event()

    def listen(self) -> None:
        """(Again) the handler of both signals: a run's engine keeps its own SIGTERM bridge after the run, and a
        shell that starts serve in the background leaves SIGINT ignored."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self)

    def __call__(self, signum, frame) -> None:
        if self.asked.is_set():
            raise KeyboardInterrupt
        self.asked.set()


def _run(client, flow, flow_run_id: UUID) -> None:
    """Claim the run (another serve may have) and run it to its final state, which the engine reports."""
    from prefect.exceptions import Abort
    from prefect.flow_engine import run_flow
    from prefect.states import Pending
    from prefect.utilities.engine import propose_state_sync

    from mubiao.flows.api_server import heartbeats_if_asked

    try:
        state = propose_state_sync(client, Pending(), flow_run_id=flow_run_id)
    except Abort:
        return
    if not state.is_pending():
        return
    client.update_flow_run(flow_run_id, infrastructure_pid=_this_process())
    with heartbeats_if_asked():
        run_flow(flow, flow_run=client.read_flow_run(flow_run_id), return_type="state")


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _crashed_before(client, deployment_ids: list[UUID]) -> None:
    """Mark Crashed the runs of these deployments that a serve process on this machine, now gone, left running."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    started = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING,
                                                                                       StateType.PENDING])))  # fmt: skip
    ours = DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids))
    for flow_run in client.read_flow_runs(flow_run_filter=started, deployment_filter=ours):
        host, _, pid = (flow_run.infrastructure_pid or "").rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            message = "mubiao serve 的工作进程在运行中退出；仓库保持上次发布的状态，可重新运行"
            client.set_flow_run_state(flow_run.id, Crashed(message=message), force=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
