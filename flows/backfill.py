"""The `mubiao-backfill` flow: restate a range of months from the landing store, then rebuild the marts.

No inbox: the files are the landed copies the ledger names. Each month is one
task run (`restate-2017-03`), all in one transaction on a private copy of the
warehouse that is published when every month is done (warehouse/publish.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State
from pydantic import Field

from mubiao.flows.served import refusal
from mubiao.flows.tasks import after_publish, build, writer_lock
from mubiao.foundation.disk import in_words, require_room
from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.foundation.zone import DEFAULT_DUE_DAY
from mubiao.pipelines.intake.landing import landing_store
from mubiao.pipelines.loading.restate import months_between, restate_month
from mubiao.pipelines.loading.validate import DataDocs
from mubiao.pipelines.parsers.periods import PeriodError, parse_period
from mubiao.warehouse.leftovers import remove_leftovers
from mubiao.warehouse.models import apply_schema
from mubiao.warehouse.publish import connect_building, rebuilding
from mubiao.warehouse.room import rebuild_needs


def month_range(start: str, end: str) -> list[tuple[int, int]]:
    """The months from `start` to `end` (any period form: 2017-01, 2017年1月 …); a clear error otherwise."""
    try:
        first, last = parse_period(start), parse_period(end)
    except PeriodError as error:
        raise MubiaoError(f"补算区间无效：{error}") from None
    if first > last:
        raise MubiaoError(f"补算区间无效：起始 {first[0]}年{first[1]}月 晚于结束 {last[0]}年{last[1]}月")
    return months_between(first, last)


@task(cache_policy=NO_CACHE, task_run_name="restate-{year}-{month:02d}")
def restate(con: duckdb.DuckDBPyConnection, year: int, month: int, landing: Path, docs: DataDocs) -> dict:
    counts = restate_month(con, year, month, landing, docs)
    get_run_logger().info(
        "%d年%d月：重算 %d 个文件，入库 %d 行，隔离 %d 行",
        year,
        month,
        *(counts[k] for k in ("files", "rows_loaded", "rows_quarantined")),
    )
    if counts["files_unreadable"]:
        get_run_logger().warning(
            "%d年%d月：%d 个文件无法读取，其行保持原样（见 audit.restated）", year, month, counts["files_unreadable"]
        )
    return counts


Month = Annotated[str, Field(examples=["2017-01", "2017年9月"])]


@flow(name="mubiao-backfill")
def mubiao_backfill(
    warehouse: Annotated[Path, Field(examples=["/srv/mubiao/warehouse.duckdb"])],
    start: Month,
    end: Month,
    due_day: Annotated[int, Field(ge=1, le=28)] = DEFAULT_DUE_DAY,
) -> dict | State:
    """Restate the months from `start` to `end` against today's references and rebuild the marts.

    A range that is not one fails the run with its one-line reason, without a traceback.

    Args:
        warehouse: 仓库文件的绝对路径
        start: 起始月份，任一统计期写法：2017-01、2017年1月、2017年一季度
        end: 结束月份（含），写法同起始月份，如 2017-09
        due_day: 报送截止日：次月第几日（1–28）
    """
    if refused := refusal(warehouse=warehouse):
        return Failed(message=refused)
    started = time.monotonic()
    try:
        months = month_range(start, end)
    except MubiaoError as error:
        return Failed(message=str(error))
    require_warehouse(warehouse)
    landing = landing_store(warehouse)
    docs = DataDocs(warehouse.parent)
    with in_words(), writer_lock(warehouse):
        remove_leftovers(warehouse)
        needs = rebuild_needs(warehouse)
        require_room(needs)
        with in_words(needs), rebuilding(warehouse) as building, connect_building(building) as con:
            apply_schema(con)
            con.begin()
            counts = [restate(con, year, month, landing, docs) for year, month in months]
            con.commit()
            build(con, due_day)
        unwritten: list[str] = []
        after_publish(docs.build, "GX 校验结果网页", "校验报告可用 mubiao docs 生成", unwritten, needs)
    return {
        "months": len(months),
        "files": sum(c["files"] for c in counts),
        "files_unreadable": sum(c["files_unreadable"] for c in counts),
        "rows_loaded": sum(c["rows_loaded"] for c in counts),
        "rows_quarantined": sum(c["rows_quarantined"] for c in counts),
        "seconds": round(time.monotonic() - started, 2),
        "unwritten": unwritten,
    }
