"""The Prefect tasks the flows share: each a batch (the inbox, a run's files, one kind, the models, the pack),
wrapping a step of pipelines/ or warehouse/ with its retries and its line in the run's log."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from mubiao.foundation.disk import LASTING, Need, disk_fault, unwritten_line
from mubiao.foundation.kinds import kind_label
from mubiao.pipelines.intake.inbox import Passed, own_artefacts
from mubiao.pipelines.intake.landing import Arrival, receive
from mubiao.pipelines.loading.ingest import (
    Ingest,
    Prepared,
    ingest_kind,
    ingest_kind_elsewhere,
    load_prepared,
    prepare_kind,
)
from mubiao.pipelines.loading.normalise import References
from mubiao.pipelines.loading.run_reading import ReadBatch, read_arrivals
from mubiao.pipelines.loading.validate import DataDocs
from mubiao.report import write_latest
from mubiao.warehouse.models import build_models
from mubiao.warehouse.publish import exclusive, ready_to_build

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


_listeners: list[Callable[[str], None]] = []


@contextlib.contextmanager
def telling(callback: Callable[[str], None]) -> Iterator[None]:
    """Send what flows run in this block say while they wait (a retry) to `callback` (the CLI's terminal)."""
    _listeners.append(callback)
    try:
        yield
    finally:
        _listeners.remove(callback)


def _tell(line: str) -> None:
    get_run_logger().warning(line)
    for callback in _listeners:
        callback(line)


def can_pass(error: BaseException) -> bool:
    """Whether a retry may get past `error`: an I/O error such as a file still being written or a network share gone
    for a moment; never a full, read-only or forbidden disk, which waits for someone to act, nor a defect."""
    if not isinstance(error, OSError):
        return False
    fault = disk_fault(error)
    return not (fault and fault.errno in LASTING)


def _transient(task, task_run, state) -> bool:
    """Retry what can pass, and say so while waiting."""
    if not can_pass(state.data):
        return False
    fault = disk_fault(state.data)
    delay = task.retry_delay_seconds[min(task_run.run_count, len(task.retry_delay_seconds)) - 1]
    _tell(
        f"{fault.what if fault else state.data}，约 {delay:g} 秒后自动重试（第 {task_run.run_count} 次，共 {task.retries} 次）"
    )
    return True


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


@task(cache_policy=NO_CACHE)
def build(con: duckdb.DuckDBPyConnection, due_day: int, since_last_build: bool = False) -> None:
    ready_to_build(con)
    build_models(con, due_day, since_last_build)


@task(cache_policy=NO_CACHE)
def write_meeting_pack(warehouse: Path) -> str | None:
    """The latest year's meeting pack beside the warehouse (docs/commands.md §4.4: a run writes it, served or not)."""
    pack = write_latest(warehouse)
    if pack:
        get_run_logger().info("会议材料：%s", pack)
    return str(pack) if pack else None


T = TypeVar("T")


def after_publish(
    step: Callable[[], T], what: str, again: str, unwritten: list[str], needs: Iterable[Need] = ()
) -> T | None:
    """A step once the warehouse stands (the Data Docs, the artifacts, the pack), and what it returns; should it fail,
    None, and the line that says what was not written, why and how to write it again goes to `unwritten` and the log.
    """
    try:
        return step()
    except Exception as error:
        line = unwritten_line(what, error, again, needs)
        get_run_logger().warning(line)
        unwritten.append(line)
        return None


def writer_lock(warehouse: Path) -> contextlib.AbstractContextManager[None]:
    """The warehouse's one-writer lock; a flow that must wait for it says so in its log."""
    return exclusive(
        warehouse, on_wait=lambda: get_run_logger().warning("另一次运行正在写入 %s，等待其结束后继续……", warehouse.name)
    )


def kind_ingest(con: duckdb.DuckDBPyConnection, read: ReadBatch, docs: DataDocs | None) -> Ingest:
    """How this flow run loads a kind: on this process's thread pool, or prepared on the Dask workers."""
    if isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner):
        return lambda kind: ingest(con, kind, quote(read), docs)
    return lambda kind: ingest_kind_elsewhere(
        con, kind, read, prepare.submit, lambda prepared: load(con, prepared, quote(read))
    )
