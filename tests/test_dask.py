"""`mubiao run --task-runner dask` gives the warehouse the default runner gives, row for row."""

from __future__ import annotations

import time
from pathlib import Path

from mubiao.foundation.kinds import KINDS
from tests.conftest import contents
from tests.synthetic_zone import write_zone


def _run(mubiao, inbox: Path, warehouse: Path, *options: str) -> dict[str, list[tuple]]:
    started = time.monotonic()
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), *options)
    print(f"{' '.join(options)}: {time.monotonic() - started:.1f} s")
    return contents(warehouse)


def test_a_two_worker_dask_cluster_gives_the_default_runners_warehouse(mubiao, tmp_path: Path, monkeypatch) -> None:
    from distributed import LocalCluster

    from mubiao.flows import loading
    from mubiao.pipelines.loading import run_reading

    inbox = write_zone(tmp_path / "inbox")
    default = _run(mubiao, inbox, tmp_path / "default" / "warehouse.duckdb", "--task-runner", "default")
    assert {
        "marts.target_completion",
        "marts.submission_status",
        "audit.files",
        "audit.quarantine",
        "audit.validations",
        "audit.warnings",
        "staging.indicator_values",
    } <= set(default)
    assert default["audit.quarantine"], "the zone has a quarantined row, so the comparison covers one"

    # the local cluster mubiao starts: 2 worker processes
    dask = _run(mubiao, inbox, tmp_path / "dask" / "warehouse.duckdb", "--task-runner", "dask")
    assert sorted(dask) == sorted(default)
    for name in default:
        assert dask[name] == default[name], name

    # a scheduler of one's own, by its address: 2 threaded workers in this process, given a chunk per file,
    # two at a time (the values' 5 files are more chunks than in flight: the window slides)
    monkeypatch.setattr(run_reading, "CHUNK_ROWS", 1)
    monkeypatch.setattr(loading, "IN_FLIGHT", 2)
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        remote = _run(
            mubiao, inbox, tmp_path / "remote" / "warehouse.duckdb", "--dask-address", cluster.scheduler_address
        )
    for name in default:
        assert remote[name] == default[name], name


def test_a_real_scheduler_and_two_worker_processes_give_the_threaded_runs_warehouse(
    mubiao, tmp_path: Path, monkeypatch
) -> None:
    from distributed import Client

    from bench.scale_out import dask_cluster
    from mubiao.flows import reading
    from mubiao.pipelines.loading import run_reading

    inbox = write_zone(tmp_path / "inbox")
    threads = _run(mubiao, inbox, tmp_path / "threads" / "warehouse.duckdb", "--task-runner", "default")
    # a file a part: more parts than workers and than are in flight, so the window slides
    monkeypatch.setattr(run_reading, "PART_FILES", 1)
    monkeypatch.setattr(reading, "CLUSTER_IN_FLIGHT", 3)
    with dask_cluster(tmp_path / "cluster") as address, Client(address) as client:
        remote = _run(mubiao, inbox, tmp_path / "remote" / "warehouse.duckdb", "--dask-address", address)
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert sorted(remote) == sorted(threads)
    for name in threads:
        assert remote[name] == threads[name], name
    read = {row[2] for row in threads["audit.files"] if row[5] != "duplicate"}
    print(f"{len(read)} files read; tasks executed by worker: {executed}")
    assert len(executed) == 2
    # more files than kinds, so the chunks' preparation alone (a task a kind here) cannot make up the count
    assert len(read) > len(KINDS)
    assert sum(executed.values()) > len(read), "each file was read on a worker, and the chunks prepared there"
