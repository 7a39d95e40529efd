"""A run on threads, on a LocalCluster of 2 workers and on a real `dask scheduler` with two `dask worker` processes.

`python -m bench.scale_out --size tiny` times three cold `mubiao run` of the same zone, each into an empty
warehouse, with the command's own temporary Prefect server, and prints each with its ratio to the threaded run.
The scheduler and its workers are started before the timed run (an office's cluster is up before the run).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.generate import SIZES
from bench.run import zone_for

DASK = Path(sys.executable).with_name("dask")
MUBIAO = Path(sys.executable).with_name("mubiao")


@contextlib.contextmanager
def dask_cluster(work: Path, workers: int = 2, env: dict[str, str] | None = None) -> Iterator[str]:
    """A `dask scheduler` on 127.0.0.1 and `workers` single-threaded `dask worker` processes; its address."""
    from distributed import Client

    work.mkdir(parents=True, exist_ok=True)
    address_file = work / "scheduler.json"
    common = ["--no-dashboard", "--host", "127.0.0.1"]
    started = [
        subprocess.Popen(
            [DASK, "scheduler", "--port", "0", "--scheduler-file", address_file, *common],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        while not address_file.exists():
            time.sleep(0.1)
        started += [
            subprocess.Popen(
                [DASK, "worker", "--scheduler-file", address_file, "--nthreads", "1", *common],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        with Client(scheduler_file=str(address_file)) as client:
            client.wait_for_workers(workers, timeout=120)
            yield client.scheduler.address
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=60)


def _timed(inbox: Path, warehouse: Path, *options: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    started = time.monotonic()
    subprocess.run(
        [MUBIAO, "run", "--inbox", inbox, "--warehouse", warehouse, *options],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def measure(zone: Path, work: Path) -> dict[str, float]:
    """Seconds of each way, in one sitting: threads, the local cluster, a real scheduler's two workers."""
    figures = {
        "threads": _timed(zone, work / "threads" / "warehouse.duckdb", "--task-runner", "default"),
        "LocalCluster, 2 workers": _timed(zone, work / "local" / "warehouse.duckdb", "--task-runner", "dask"),
    }
    with dask_cluster(work / "cluster") as address:
        figures["dask scheduler + 2 dask workers"] = _timed(
            zone, work / "remote" / "warehouse.duckdb", "--dask-address", address
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    size = parser.parse_args().size
    zone = zone_for(size) / "inbox"
    with tempfile.TemporaryDirectory(prefix=f"mubiao-scale-out-{size}-") as work:
        figures = measure(zone, Path(work))
    threads = figures["threads"]
    for name, seconds in figures.items():
        print(f"{name:34} {seconds:7.2f} s  {seconds / threads:5.2f} × threads")


if __name__ == "__main__":
    main()
