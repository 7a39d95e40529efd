"""A warm worker (flows/worker.py) in a process of its own, for the tests that run through one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mubiao.flows.worker import socket_path

START = "import sys; from pathlib import Path; from mubiao.flows.worker import work; work(Path(sys.argv[1]))"


def start_worker(warehouse: Path, log: Path, **env: str) -> subprocess.Popen:
    """A worker process for `warehouse`, in a session of its own, once it answers on its socket."""
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
