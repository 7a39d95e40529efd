"""A warm worker: one long-lived process that runs `mubiao-run` for a warehouse, with Prefect, GX, DuckDB and the
flow's modules imported once, and `mubiao run` as its thin client (as dmypy or the Gradle daemon work).

The worker listens on a Unix socket beside the warehouse (`<warehouse>.worker`), made under umask 077 so that only
its user can connect: the same user could run `mubiao run` anyway. A request is one JSON line with the run's
parameters; the worker answers with JSON lines (`advance`, `waiting`, then `summary` or `error`) as the run goes.
It takes one connection at a time and runs it under a turn it shares with serve's deployment runs
(flows/deployment_runs.py), so runs are serialised in the worker, and the flow still takes the warehouse's writer
lock against runs in other processes. The run is the flow called in this process, which Prefect's engine
runs through `prefect.flow_engine.run_flow`: no runner poll, no subprocess. A worker killed mid-run is a run
killed mid-run: the client gets no summary and says so, and the next run (the worker's or a cold one) ends as a
clean run would (tests/test_crash_safety.py).

The client imports none of this module's heavy parts: with no worker answering, the command runs in its own
process as before.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.runtime import heap_settled


def socket_path(warehouse: Path) -> Path:
    return warehouse.resolve().with_name(warehouse.name + ".worker")


@contextlib.contextmanager
def connected(warehouse: Path) -> Iterator[socket.socket | None]:
    """A connection to the worker of `warehouse`, or None when none answers (no socket, or one a dead worker left)."""
    path = socket_path(warehouse)
    if not path.exists():
        yield None
        return
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError:
        client.close()
        yield None
        return
    with client:
        yield client


def submit(client: socket.socket, request: dict, shown: Callable[[dict], None]) -> dict | None:
    """Send the run to the worker, hand each progress message to `shown`; the answer (`summary`, the run's, or
    `unchanged`, what the inbox passes over when it held nothing new), or None when the worker declines the run
    (another inbox than the one it serves), which the command then runs itself."""
    client.sendall(json.dumps(request).encode() + b"\n")
    for line in client.makefile("rb"):
        message = json.loads(line)
        if "summary" in message or "unchanged" in message:
            return message
        if "declined" in message:
            return None
        if "error" in message:
            raise MubiaoError(message["error"])
        shown(message)
    raise MubiaoError("工作进程在运行中退出，本次运行未完成；已发布的仓库保持原样，可重新运行 mubiao run")


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        request = json.loads(self.rfile.readline())

        def send(message: dict) -> None:
            # a client gone (its Ctrl+C) leaves the run to finish as it would have, with nobody to tell
            with contextlib.suppress(OSError):
                self.wfile.write(json.dumps(message, default=str, ensure_ascii=False).encode() + b"\n")
                self.wfile.flush()

        turn = self.server.turn
        if not turn.acquire(blocking=False):
            send({"waiting": "工作进程正在执行另一次运行（计划任务或界面触发），本次运行排队等候……"})
            turn.acquire()
        try:
            send(_run(request, send))
        finally:
            heap_settled()  # the client has its summary
            turn.release()


class _Relay(logging.Handler):
    """What the flow tells (flows/progress.py), relayed to the client."""

    def __init__(self, send: Callable[[dict], None]) -> None:
        super().__init__()
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        if waiting := getattr(record, "waiting", None):
            self.send({"waiting": waiting})
        elif step := getattr(record, "advance", None):
            self.send({"advance": {"files": step.files, "rows": step.rows, "total": step.total}})


def _run(request: dict, send: Callable[[dict], None]) -> dict:
    """The run the client asks for: its look for news first, as the command's own (flows/news.py), here where its
    imports are paid; then, if there is anything to do, the flow, handed the look's scan."""
    from prefect.states import State

    from mubiao.flows.api_server import heartbeats_if_asked
    from mubiao.flows.news import look
    from mubiao.flows.progress import listening
    from mubiao.flows.run import mubiao_run
    from mubiao.flows.served import refusal
    from mubiao.pipelines.intake.spill import walk_kept
    from mubiao.pipelines.intake.walk_file import write_scan

    inbox, warehouse = Path(request["inbox"]), Path(request["warehouse"])
    if refusal(inbox=inbox, warehouse=warehouse):
        return {"declined": True}
    try:
        with walk_kept(warehouse) as walk:
            passed, found = look(inbox, warehouse, request["due_day"], request["verify"])
            if passed is not None:
                return {"unchanged": sorted(p.reason for p in passed)}
            if found is not None:
                write_scan(found, walk)
            with listening(_Relay(send)), heartbeats_if_asked():
                summary = mubiao_run(
                    inbox=inbox,
                    warehouse=warehouse,
                    due_day=request["due_day"],
                    settle_seconds=request["settle"],
                    verify=request["verify"],
                    walked=walk if found is not None else None,
                    return_state=True,
                )
        result = summary.result(raise_on_failure=True) if isinstance(summary, State) else summary
    except MubiaoError as error:
        return {"error": str(error)}
    except Exception as error:  # the worker outlives a failed run; the client says it in one line
        return {"error": f"运行失败：{type(error).__name__}: {error}"}
    return {"summary": result}


class _Server(socketserver.UnixStreamServer):
    allow_reuse_address = False

    def __init__(self, path: Path, turn: threading.Lock) -> None:
        self.turn = turn
        super().__init__(str(path), _Handler)


def work(warehouse: Path, turn: threading.Lock | None = None) -> None:
    """Serve runs for `warehouse` until interrupted, with everything a run imports imported first; each run holds
    `turn`, which serve's deployment runs hold too (flows/deployment_runs.py)."""
    import mubiao.flows.run  # noqa: F401  what a run imports, paid once
    from mubiao.pipelines.loading.validate import import_gx
    from mubiao.report import warm
    from mubiao.warehouse.model_files import read_models

    path = socket_path(warehouse)
    with connected(warehouse) as other:
        if other is not None:
            raise MubiaoError(f"已有工作进程在服务 {warehouse}（{path}）")
    path.unlink(missing_ok=True)  # a socket a killed worker left
    path.parent.mkdir(parents=True, exist_ok=True)
    import_gx()
    warm()
    read_models()  # parsed once a process; a worker's first run would pay it
    heap_settled()
    mask = os.umask(0o077)
    try:
        server = _Server(path, turn or threading.Lock())
    finally:
        os.umask(mask)
    try:
        with server:
            server.serve_forever()
    finally:
        path.unlink(missing_ok=True)
