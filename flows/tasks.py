"""The Prefect tasks the flows share: each a batch (the inbox, the models, the pack), wrapping a step of
pipelines/ or warehouse/ with its retries and its line in the run's log; reading.py and loading.py hold the
tasks of a run's parts and chunks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from mubiao.flows.news import Published
from mubiao.flows.retries import RETRYING_IO
from mubiao.foundation.disk import Need, unwritten_line
from mubiao.pipelines.intake.inbox import own_artefacts
from mubiao.pipelines.intake.landing import Received, receive
from mubiao.pipelines.intake.spill import in_spill
from mubiao.pipelines.intake.walk_file import read_scan
from mubiao.report import write_latest
from mubiao.warehouse.models import build_models
from mubiao.warehouse.publish import HELD, exclusive, held, ready_to_build


@task(**RETRYING_IO, cache_policy=NO_CACHE)
def receive_inbox(
    inbox: Path,
    warehouse: Path,
    published: Published,
    settle: float,
    walked: Path | None = None,
) -> Received:
    """The inbox held against the `published` warehouse's ledger and stats. `walked` names the file that keeps the
    command's scan of the inbox (cli/running.py): only the folders changed since are listed again. A file outside
    the warehouse's spill folder is not read: the parameter is the flow's."""
    since = read_scan(walked) if walked and in_spill(walked, warehouse) else None
    received = receive(inbox, published.known, own_artefacts(warehouse), settle, published.stats, since)
    get_run_logger().info("收到 %d 个新文件，跳过 %d 项", len(received.arrivals), len(received.passed))
    return received


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
    if held(warehouse):
        get_run_logger().warning(HELD.format(warehouse.name))
    return exclusive(warehouse)
