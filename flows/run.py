"""The `mubiao-run` flow: land new files, validate and load them by kind, rebuild the marts.

With a Dask task runner the kinds are prepared on the workers in dependency waves and loaded here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import duckdb
import pyarrow as pa
from prefect import Flow, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote
from pydantic import Field

from flows.artifacts import Statuses, publish_artifacts, submission_statuses
from foundation.checkpoints import checkpoint
from foundation.zone import DEFAULT_DUE_DAY
from pipelines.inbox import Passed, own_artefacts
from pipelines.ingest import (
    WAVES,
    Prepared,
    close_ledger,
    ingest_kind,
    ledger,
    load_prepared,
    open_ledger,
    passed_over,
    prepare_kind,
    record_passed,
    references,
)
from pipelines.kinds import KINDS, kind_label
from pipelines.landing import Arrival, receive, sync_landed
from pipelines.normalise import References
from pipelines.run_reading import ReadBatch, chunks_of, read_arrivals
from pipelines.spill import spill_folder
from pipelines.validate import DataDocs
from report import write_latest
from warehouse.models import apply_schema, build_models, needs_build
from warehouse.publish import connect_building, exclusive, ready_to_build, rebuilding
from warehouse.published import connect_published

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


def _transient(task, task_run, state) -> bool:
    """Retry I/O errors only (a file still being written, a network share gone for a moment), never a defect."""
    return isinstance(state.data, OSError)


_RETRYING_IO = {
    "retries": 4,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": _transient,
}


@task(**_RETRYING_IO, cache_policy=NO_CACHE)
def receive_inbox(
    inbox: Path, warehouse: Path, known: dict[str, set[str]], settle: float
) -> tuple[list[Arrival], list[Passed]]:
    arrivals, passed = receive(inbox, known, skip=own_artefacts(warehouse), settle=settle)
    _advance(0, 0, sum(1 for a in arrivals if not a.duplicate))
    get_run_logger().info("收到 %d 个新文件，跳过 %d 项", len(arrivals), len(passed))
    return arrivals, passed


@task(**_RETRYING_IO, cache_policy=NO_CACHE)
def read_files(arrivals: list[Arrival], landing: Path, spill: Path, copy: bool = False) -> ReadBatch:
    """Read the new files, their rows kept by kind in the folder `spill` until loaded; with `copy`, land them first."""
    read = read_arrivals(arrivals, landing, spill, _advance, copy)
    get_run_logger().info("%s并读取 %d 个文件", "落地" if copy else "", len(read.results))
    return read


@task(cache_policy=NO_CACHE, task_run_name="ingest-{kind}")
def ingest(con: duckdb.DuckDBPyConnection, kind: str, read: ReadBatch, docs: DataDocs | None) -> None:
    ingest_kind(con, kind, read, _advance, docs)
    files = sum(1 for result in read.results.values() if kind in result.kinds)
    get_run_logger().info("%s：%d 个文件已入库", kind_label(kind), files)


@task(cache_policy=NO_CACHE, task_run_name="prepare-{kind}")
def prepare(kind: str, raw: pa.Table, refs: References) -> Prepared:
    prepared = prepare_kind(kind, raw, refs)
    get_run_logger().info("%s：已整理 %d 行", kind_label(kind), len(prepared.batch))
    return prepared


@task(cache_policy=NO_CACHE, task_run_name="load-{prepared.kind}")
def load(con: duckdb.DuckDBPyConnection, prepared: Prepared, read: ReadBatch) -> None:
    load_prepared(con, prepared, read, _advance)


IN_FLIGHT = 4
"""Chunks of a kind being prepared on the workers at once: enough to keep two busy, few enough to bound memory."""


def _ingest_in_waves(con: duckdb.DuckDBPyConnection, read: ReadBatch) -> None:
    """Prepare each kind's chunks on the flow's task runner, IN_FLIGHT at a time, and load them here in order.

    The references are read once per wave. The loads stay in this process, a chunk per transaction; Data Docs
    are not written for these batches.
    """
    for wave in WAVES:
        refs = references(con)
        for kind in wave:
            in_flight: deque[PrefectFuture] = deque()
            for raw in chunks_of(read, kind):
                if len(in_flight) == IN_FLIGHT:
                    load(con, in_flight.popleft().result(), quote(read))
                in_flight.append(prepare.submit(kind, raw, refs))
            while in_flight:
                load(con, in_flight.popleft().result(), quote(read))
            checkpoint(f"ingested-{kind}")


def _on_workers() -> bool:
    """Whether this flow run has a task runner other than the default thread pool (Dask, with --task-runner dask)."""
    return not isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)


def on_dask(address: str | None) -> Flow:
    """`mubiao-run` with Prefect's DaskTaskRunner: on the scheduler at `address`, else a local cluster of 2 processes.

    The workers report their task runs to the API this process uses, named in the settings the runner sends
    them: run it inside `TemporaryApi.serving` (flows/api_server.py) when no PREFECT_API_URL is set.
    """
    from prefect_dask import DaskTaskRunner

    runner = (
        DaskTaskRunner(address=address)
        if address
        else DaskTaskRunner(
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    )
    return mubiao_run.with_options(task_runner=runner)


def writer_lock(warehouse: Path) -> contextlib.AbstractContextManager[None]:
    """The warehouse's one-writer lock; a flow that must wait for it says so in its log."""
    return exclusive(
        warehouse, on_wait=lambda: get_run_logger().warning("另一次运行正在写入 %s，等待其结束后继续……", warehouse.name)
    )


def load_arrivals(
    con: duckdb.DuckDBPyConnection, arrivals: list[Arrival], read: ReadBatch, docs: DataDocs | None
) -> None:
    """Record the arrivals and load their rows kind by kind (on workers, with Dask), a chunk at a time."""
    open_ledger(con, arrivals)
    checkpoint("ledger-opened")
    if _on_workers():
        _ingest_in_waves(con, read)
    else:
        for kind in KINDS:
            ingest(con, kind, quote(read), docs)
            checkpoint(f"ingested-{kind}")
    checkpoint("ingested")
    close_ledger(con, read)
    checkpoint("committed")


@task(cache_policy=NO_CACHE)
def build(con: duckdb.DuckDBPyConnection, due_day: int) -> None:
    ready_to_build(con)
    build_models(con, due_day)


def _summary(arrivals: list[Arrival], passed: list[Passed], read: ReadBatch, started: float) -> dict:
    results = read.results.values()
    return {
        "files_skipped": len(passed),
        "skipped_reasons": dict(Counter(p.reason for p in passed)),
        "files_loaded": sum(1 for r in results if not r.error),
        "files_duplicate": sum(1 for a in arrivals if a.duplicate),
        "files_unreadable": sum(1 for r in results if r.error),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(r.rows_quarantined for r in results),
        "seconds": round(time.monotonic() - started, 2),
    }


@flow(name="mubiao-run")
def mubiao_run(
    inbox: Annotated[Path, Field(examples=["/srv/mubiao/inbox"])],
    warehouse: Annotated[Path, Field(examples=["/srv/mubiao/warehouse.duckdb"])],
    due_day: Annotated[int, Field(ge=1, le=28)] = DEFAULT_DUE_DAY,
    settle_seconds: Annotated[float, Field(ge=0)] = 2.0,
) -> dict:
    """Take in what is new in `inbox`, then rebuild the marts if anything arrived.

    Submissions for a month are due on `due_day` of the following month (marts.submission_status).
    A file written less than `settle_seconds` ago is landed once it has stopped changing.
    The run leaves a summary and the targets behind as Prefect artifacts, and writes the meeting pack.

    Args:
        inbox: 收件箱目录的绝对路径
        warehouse: 仓库文件的绝对路径
        due_day: 报送截止日：次月第几日（1–28）
        settle_seconds: 最近这么多秒内改动过的文件，等其大小与修改时间稳定后再收取
    """
    started = time.monotonic()
    landing = warehouse.parent / "landing"
    with writer_lock(warehouse), spill_folder(warehouse) as spill:
        known, was_passed, stale, before = _published_state(warehouse, due_day)
        arrivals, passed = receive_inbox(inbox, warehouse, quote(known), settle_seconds)
        read = read_files(quote(arrivals), landing, spill, copy=True)
        if arrivals or stale or set(passed) != was_passed:
            docs = DataDocs(warehouse.parent)
            with rebuilding(warehouse) as building:
                with connect_building(building) as con:
                    apply_schema(con)
                    record_passed(con, passed, dt.datetime.now(dt.UTC))
                    if arrivals:
                        load_arrivals(con, arrivals, read, docs)
                        read.discard()
                    build(con, due_day)
                    checkpoint("built")
                sync_landed(landing, arrivals)
            checkpoint("published")
            if arrivals:
                docs.build()
        summary = _summary(arrivals, passed, read, started)
        publish_artifacts(warehouse, summary, before)
        summary["pack"] = write_meeting_pack(warehouse)
    return summary


@task(cache_policy=NO_CACHE)
def write_meeting_pack(warehouse: Path) -> str | None:
    """The latest year's meeting pack beside the warehouse (CONTRACT §4: a run writes it, served or not)."""
    pack = write_latest(warehouse)
    if pack:
        get_run_logger().info("会议材料：%s", pack)
    return str(pack) if pack else None


def _published_state(warehouse: Path, due_day: int) -> tuple[dict[str, set[str]], set[Passed], bool, Statuses]:
    """The published warehouse's ledger, what it passed over, whether its marts must be rebuilt, and its
    submission statuses. Read-only, so never blocked."""
    if not warehouse.exists():
        return {}, set(), True, {}
    with connect_published(warehouse) as con:
        return ledger(con), passed_over(con), needs_build(con, due_day), submission_statuses(con)
