"""A warm worker (flows/worker.py) in a process of its own, for the tests that run through one, and the way a test
runs both with and without one (`Mode`, conftest's `worker_mode`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mubiao.flows.worker import socket_path

START = "import sys; from pathlib import Path; from mubiao.flows.worker import work; work(Path(sys.argv[1]))"


def start_worker(warehouse: Path, log: Path, **env: str) -> subprocess.Popen:
    """A worker process for `warehouse`, in a session of its own, once it answers on its socket."""
    socket_path(warehouse).unlink(missing_ok=True)  # one a killed worker left, which would pass for the new one's
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-c", START, str(warehouse)],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while not socket_path(warehouse).exists():
        assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    return worker


def kill(process: subprocess.Popen) -> int:
    """SIGKILL `process` and its session's group (a run's reading processes), as a power cut would; its exit code."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait(timeout=120)


class Mode:
    """How a test's runs go: each in the command's own process (cold), or through a warm worker the test starts for
    the warehouse whose runs matter (warm); `ran` fails a run that went the other way, so warm never runs cold."""

    def __init__(self, warm: bool, logs: Path) -> None:
        self.warm = warm
        self.logs = logs
        self.workers: list[subprocess.Popen] = []

    def __repr__(self) -> str:
        return "warm" if self.warm else "cold"

    def serve(self, warehouse: Path) -> subprocess.Popen | None:
        """When warm, a new worker for `warehouse` (the last one dead or never started); cold, none."""
        if not self.warm:
            return None
        self.workers.append(start_worker(warehouse, self.logs / f"worker-{len(self.workers)}.log"))
        return self.workers[-1]

    def ran(self, output: str, warehouse: Path) -> None:
        """Assert that the run whose terminal said `output` went through the worker of `warehouse` when warm, and
        through none when cold."""
        if self.warm:
            assert f"由工作进程运行（{socket_path(warehouse)}）" in output.replace("\n", ""), output
        else:
            assert "由工作进程运行" not in output, output

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
