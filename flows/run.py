"""The `mubiao-run` flow: land new files, validate and load them by kind, rebuild the marts."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Callable, Iterator

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from pipelines.ingest import ReadBatch, close_ledger, ingest_kind, ledger, open_ledger, read_arrivals
from pipelines.kill_points import kill_point
from pipelines.kinds import KINDS
from pipelines.landing import Arrival, land
from pipelines.validate import DataDocs
from warehouse import DEFAULT_DUE_DAY, apply_schema, build_models, needs_build
from warehouse.publish import exclusive, rebuilding

Progress = Callable[[int, int, int | None], None]
_progress: list[Progress] = []


@contextlib.contextmanager
def reporting_progress(callback: Progress) -> Iterator[None]:
    """Send (files, rows, files_total) of flows run in this block to `callback` (the CLI's bar)."""
    _progress.append(callback)
    try:
        yield
    finally:
        _progress.remove(callback)


def _advance(files: int, rows: int, files_total: int | None = None) -> None:
    for callback in _progress:
        callback(files, rows, files_total)


@task(retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def land_inbox(inbox: Path, landing: Path, known: dict[str, set[str]]) -> list[Arrival]:
    arrivals = land(inbox, landing, known, skip=landing.parent)
    _advance(0, 0, sum(1 for a in arrivals if not a.duplicate))
    get_run_logger().info("%d new file(s) landed", len(arrivals))
    return arrivals


@task(cache_policy=NO_CACHE)
def read_files(arrivals: list[Arrival], landing: Path) -> ReadBatch:
    read = read_arrivals(arrivals, landing, _advance)
    get_run_logger().info("%d file(s) read", len(read.results))
    return read


@task(cache_policy=NO_CACHE, task_run_name="ingest-{kind}")
def ingest(con: duckdb.DuckDBPyConnection, kind: str, read: ReadBatch, docs: DataDocs | None) -> None:
    ingest_kind(con, kind, read, _advance, docs)
    get_run_logger().info("%s: %d sheet(s) loaded", kind, len(read.sheets.get(kind, [])))


@task(cache_policy=NO_CACHE)
def build(con: duckdb.DuckDBPyConnection, due_day: int) -> None:
    build_models(con, due_day)


def _summary(arrivals: list[Arrival], read: ReadBatch, started: float) -> dict:
    results = read.results.values()
    return {
        "files_loaded": sum(1 for r in results if not r.error),
        "files_duplicate": sum(1 for a in arrivals if a.duplicate),
        "files_unreadable": sum(1 for r in results if r.error),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(r.rows_quarantined for r in results),
        "seconds": round(time.monotonic() - started, 2),
    }


@flow(name="mubiao-run")
def mubiao_run(inbox: Path, warehouse: Path, due_day: int = DEFAULT_DUE_DAY) -> dict:
    """Take in what is new in `inbox`, then rebuild the marts if anything arrived.

    Submissions for a month are due on `due_day` of the following month (marts.submission_status).
    """
    started = time.monotonic()
    landing = warehouse.parent / "landing"
    with exclusive(warehouse, on_wait=lambda: get_run_logger().warning(
            "另一次运行正在写入 %s，等待其结束后继续……", warehouse.name)):
        known, stale = _published_state(warehouse, due_day)
        arrivals = land_inbox(inbox, landing, known)
        read = read_files(arrivals, landing)
        if arrivals or stale:
            docs = DataDocs(warehouse.parent)
            with rebuilding(warehouse) as building:
                with duckdb.connect(str(building)) as con:
                    apply_schema(con)
                    if arrivals:
                        con.begin()
                        open_ledger(con, arrivals)
                        kill_point("ledger-opened")
                        for kind in KINDS:
                            ingest(con, kind, read, docs)
                            kill_point(f"ingested-{kind}")
                        close_ledger(con, read)
                        kill_point("ingested")
                        con.commit()
                        kill_point("committed")
                    build(con, due_day)
                    kill_point("built")
            kill_point("published")
            if arrivals:
                docs.build()
    return _summary(arrivals, read, started)


def _published_state(warehouse: Path, due_day: int) -> tuple[dict[str, set[str]], bool]:
    """The published warehouse's ledger, and whether its marts must be rebuilt; read-only, so never blocked."""
    if not warehouse.exists():
        return {}, True
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return ledger(con), needs_build(con, due_day)
