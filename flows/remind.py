"""The `mubiao-remind` flow: 催报 for the month owed, and after its due day the same list through a notification.

Served by `mubiao serve` on a schedule some days before each due day (the notices, into the feedback folder
beside the warehouse) and, when the office names a Prefect notification block, the day after it (the notices
again, and the list of who still owes sent through the block). Reads the published warehouse only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.states import Failed, State
from pydantic import Field

from mubiao.flows.served import refusal
from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.foundation.zone import DEFAULT_DUE_DAY, ZONE_TIME
from mubiao.pipelines.parsers.periods import PeriodError, parse_period
from mubiao.report.reminders import (
    Owed,
    due_date,
    month_owed,
    overdue_message,
    reminder_folder,
    write_reminders,
)
from mubiao.warehouse.published import connect_published


def send_overdue(block_name: str, subject: str, body: str) -> str | None:
    """Send through the Prefect notification block `block_name` (type/name, e.g. custom-webhook/office).

    Returns None when sent, else the one-line warning: a block that is missing or a webhook that cannot be reached
    never fails the run (the office may well be offline).
    """
    from prefect.blocks.core import Block
    from prefect.blocks.notifications import NotificationBlock

    try:
        block = Block.load(block_name)
        if not isinstance(block, NotificationBlock):
            return f"催报通知未发送：{block_name} 不是 Prefect 通知块"
        block.notify(body, subject=subject)
    except Exception as error:  # noqa: BLE001 — any failure to send is a warning line, never a failed run
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        return f"催报通知未能发送（{block_name}）：{reason}"
    return None


@flow(name="mubiao-remind")
def mubiao_remind(
    warehouse: Annotated[Path, Field(examples=["/srv/mubiao/warehouse.duckdb"])],
    due_day: Annotated[int, Field(ge=1, le=28)] = DEFAULT_DUE_DAY,
    period: Annotated[str | None, Field(examples=["2017-10", "2017年10月"])] = None,
    notify_block: Annotated[str | None, Field(examples=["custom-webhook/office"])] = None,
) -> dict | State:
    """催报: a notice per unit that still owes for the month, and after its due day the list through a notification.

    Args:
        warehouse: 仓库文件的绝对路径
        due_day: 报送截止日：次月第几日（1–28）
        period: 催报的统计期（默认：本月应报的上个月）
        notify_block: 截止日之后发送逾期名单的 Prefect 通知块，如 custom-webhook/office（默认不发送）
    """
    if refused := refusal(warehouse=warehouse):
        return Failed(message=refused)
    logger = get_run_logger()
    today = dt.datetime.now(ZONE_TIME).date()
    try:
        year, month = parse_period(period) if period else month_owed(today)
    except PeriodError as error:
        return Failed(message=f"period {error}（例如 2017-10 或 2017年10月）")
    try:
        require_warehouse(warehouse)
        folder = reminder_folder(warehouse, year, month)
        with connect_published(warehouse) as con:
            written: list[tuple[Owed, Path]] = write_reminders(con, year, month, folder)
    except MubiaoError as error:
        return Failed(message=str(error))
    for unit, path in written:
        logger.info("%s：%s → %s", unit.unit_name, unit.summary(), path.name)
    logger.info("%d年%d月：已写入 %d 份催报通知：%s", year, month, len(written), folder)
    due = due_date(year, month, due_day)
    sent = False
    if notify_block and today > due and written:
        subject, body = overdue_message(year, month, due, written)
        warning = send_overdue(notify_block, subject, body)
        if warning:
            logger.warning(warning)
        else:
            sent = True
            logger.info("逾期名单已通过 %s 发送（%d 个单位）", notify_block, len(written))
    return {"period": f"{year}-{month:02d}", "notices": len(written), "folder": str(folder), "notified": sent}
