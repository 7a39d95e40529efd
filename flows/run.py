"""The `mubiao-run` flow: land what is new in the inbox, load it kind by kind, rebuild the marts, write the pack.

With a Dask task runner each kind's chunks are prepared on the workers and loaded in this process.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from prefect import Flow, flow
from prefect.states import Failed, State
from prefect.utilities.annotations import quote
from pydantic import Field

from mubiao.flows.artifacts import publish_artifacts, submission_statuses
from mubiao.flows.loading import load_arrivals
from mubiao.flows.news import published_state
from mubiao.flows.progress import advance
from mubiao.flows.reading import read_files
from mubiao.flows.served import refusal
from mubiao.flows.tasks import after_publish, build, receive_inbox, write_meeting_pack, writer_lock
from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.disk import Need, in_words, require_room
from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.zone import DEFAULT_DUE_DAY
from mubiao.pipelines.intake.file_stats import record_stats, refreshed_path
from mubiao.pipelines.intake.inbox import Passed
from mubiao.pipelines.intake.landing import Arrival, Received, landing_store, sync_landed
from mubiao.pipelines.intake.ledger import record_passed, retime
from mubiao.pipelines.intake.receipts import register_changes
from mubiao.pipelines.intake.spill import spill_folder
from mubiao.pipelines.loading.run_reading import ReadBatch
from mubiao.pipelines.loading.validate import DataDocs
from mubiao.warehouse.leftovers import remove_leftovers
from mubiao.warehouse.models import apply_schema
from mubiao.warehouse.publish import connect_building, rebuilding
from mubiao.warehouse.published import connect_published
from mubiao.warehouse.room import load_needs


def on_dask(address: str | None) -> Flow:
    """`mubiao-run` with Prefect's DaskTaskRunner: on the scheduler at `address`, else a local cluster of 2 processes.

    The workers report their task runs to the API this process uses, named in the settings the runner sends
    them: run it inside `TemporaryApi.serving` (flows/api_server.py) when no PREFECT_API_URL is set.
    """
    try:
        from prefect_dask import DaskTaskRunner
    except ModuleNotFoundError:
        raise MubiaoError("Dask 执行方式需要扩展：pip install 'mubiao[dask]'") from None

    runner = (
        DaskTaskRunner(address=address)
        if address
        else DaskTaskRunner(
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    )
    return mubiao_run.with_options(task_runner=runner)


@flow(name="mubiao-run")
def mubiao_run(
    inbox: Annotated[Path, Field(examples=["/srv/mubiao/inbox"])],
    warehouse: Annotated[Path, Field(examples=["/srv/mubiao/warehouse.duckdb"])],
    due_day: Annotated[int, Field(ge=1, le=28)] = DEFAULT_DUE_DAY,
    settle_seconds: Annotated[float, Field(ge=0)] = 2.0,
    verify: bool = False,
    walked: Path | None = None,
) -> dict | State:
    """Take in what is new in `inbox`, then rebuild the marts if anything arrived.

    Submissions for a month are due on `due_day` of the following month (marts.submission_status).
    A file written less than `settle_seconds` ago is landed once it has stopped changing. A file whose stat
    is as the ledger recorded it is not hashed again, unless `verify`.
    The run leaves a summary and the targets behind as Prefect artifacts, and writes the meeting pack.

    Args:
        inbox: 收件箱目录的绝对路径
        warehouse: 仓库文件的绝对路径
        due_day: 报送截止日：次月第几日（1–28）
        settle_seconds: 最近这么多秒内改动过的文件，等其大小与修改时间稳定后再收取
        verify: 重新计算全部文件的 SHA-256，不信任记录的文件状态
        walked: mubiao run 查看收件箱时留下的记录文件，只重新列出此后改动过的文件夹（命令内部使用，请留空）
    """
    if refused := refusal(inbox=inbox, warehouse=warehouse):
        return Failed(message=refused)
    started = time.monotonic()
    with in_words(), writer_lock(warehouse), spill_folder(warehouse) as spill:
        remove_leftovers(warehouse)
        published, before = published_state(warehouse, due_day, verify), _statuses(warehouse)
        received = receive_inbox(inbox, warehouse, quote(published), settle_seconds, walked)
        arrivals, passed = received.arrivals, received.passed
        advance(total=sum(1 for a in arrivals if not a.duplicate))
        retimed, unplaced = register_changes(received.register, published.received, (a.file_name for a in arrivals))
        rebuild = bool(arrivals or retimed) or published.stale or set(passed) != published.passed
        needs = load_needs(warehouse, arrivals)
        require_room(needs if rebuild else ())  # a run that publishes nothing writes nothing that needs room
        docs = DataDocs(warehouse.parent)
        with in_words(needs):
            read = read_files(arrivals, landing_store(warehouse), spill, copy=True)
            if rebuild:
                _publish(warehouse, due_day, Intake(arrivals, passed, retimed, read, received), docs)
        summary = {
            **_summary(arrivals, passed, read, started),
            "published": rebuild,
            "unwritten": [],
            "files_retimed": len(retimed),
            "register_unplaced": unplaced,
        }
        _after_publish(warehouse, summary, before, docs if arrivals else None, needs)
    return summary


@dataclass
class Intake:
    """What a run took in: the new files, read, what it passed over, the receipts the register retimes and what
    `receive` found (the stats of the inbox's files)."""

    arrivals: list[Arrival]
    passed: list[Passed]
    retimed: dict[str, dt.datetime]
    read: ReadBatch
    received: Received


def _publish(warehouse: Path, due_day: int, intake: Intake, docs: DataDocs) -> None:
    """Record and load what was taken in, and rebuild the marts, in a private copy published whole."""
    with rebuilding(warehouse) as building:
        with connect_building(building) as con:
            apply_schema(con)
            record_passed(con, intake.passed, dt.datetime.now(dt.UTC))
            record_stats(con, intake.received.seen, intake.received.vouched)
            retime(con, intake.retimed)
            if intake.arrivals:
                load_arrivals(con, intake.arrivals, intake.read, docs)
                intake.read.discard()
            build(con, due_day, since_last_build=not intake.retimed)
            checkpoint("built")
        sync_landed(landing_store(warehouse), intake.arrivals)
    checkpoint("published")
    refreshed_path(warehouse).unlink(missing_ok=True)  # what a no-op kept: every stat is in audit.file_stats now


def _after_publish(warehouse: Path, summary: dict, before: dict, docs: DataDocs | None, needs: list[Need]) -> None:
    """The Data Docs (with `docs`), the artifacts and the pack; what could not be written goes to the summary."""
    unwritten = summary["unwritten"]
    if docs:
        after_publish(docs.build, "GX 校验结果网页", "校验报告可用 mubiao docs 生成", unwritten, needs)
    after_publish(
        lambda: publish_artifacts(warehouse, summary, quote(before)), "运行摘要（Prefect 工件）", "无需处理", unwritten
    )
    summary["pack"] = after_publish(
        lambda: write_meeting_pack(warehouse), "会议材料", "可运行 mubiao report 重新生成", unwritten, needs
    )


def _statuses(warehouse: Path) -> dict:
    """The published submission statuses, which the run's artifact compares with its own."""
    if not warehouse.exists():
        return {}
    with connect_published(warehouse) as con:
        return submission_statuses(con)


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
