"""The `mubiao-known-at` flow: the marts as they stood on a past date, beside the current ones.

It replays the ledger from the landing store, taking only the files received
by that time, in their order, into a separate warehouse file
`known-at/<time>/warehouse.duckdb` beside the published one, which it never touches.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from prefect import flow

from mubiao.flows.loading import load_arrivals
from mubiao.flows.reading import read_files
from mubiao.flows.tasks import build
from mubiao.foundation.disk import in_words, require_room
from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.foundation.zone import DEFAULT_DUE_DAY, ZONE_TIME
from mubiao.pipelines.intake.landing import landing_store
from mubiao.pipelines.intake.receipts import parse_received_at
from mubiao.pipelines.intake.spill import spill_folder
from mubiao.pipelines.loading.restate import recorded_arrivals
from mubiao.warehouse.models import apply_schema
from mubiao.warehouse.publish import connect_building, rebuilding
from mubiao.warehouse.published import connect_published
from mubiao.warehouse.room import rebuild_needs


def parse_known_at(text: str) -> dt.datetime:
    """A date means the end of that day, zone time; a date and time means that moment."""
    try:
        moment = parse_received_at(text)
    except ValueError:
        raise MubiaoError(f"时间无法识别：'{text}'（例如 2017-07-10 或 2017-07-10 17:30）") from None
    if len(text.strip()) <= 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment


def known_at_path(warehouse: Path, moment: dt.datetime) -> Path:
    local = moment.astimezone(ZONE_TIME)
    stamp = local.strftime("%Y-%m-%d" if local.time() == dt.time(23, 59, 59, 999999) else "%Y-%m-%dT%H%M")
    return warehouse.parent / "known-at" / stamp / "warehouse.duckdb"


@flow(name="mubiao-known-at")
def mubiao_known_at(warehouse: Path, known_at: dt.datetime, due_day: int = DEFAULT_DUE_DAY) -> dict:
    """Build the marts from the files received by `known_at` into their own file; return where and what."""
    started = time.monotonic()
    require_warehouse(warehouse)
    landing = landing_store(warehouse)
    with connect_published(warehouse) as published:
        arrivals = recorded_arrivals(published, landing, received_by=known_at)
    target = known_at_path(warehouse, known_at)
    needs = rebuild_needs(warehouse, target)
    require_room(needs)
    with in_words(needs), spill_folder(warehouse) as spill, rebuilding(target, fresh=True) as building:
        read = read_files(arrivals, landing, spill)
        with connect_building(building) as con:
            apply_schema(con)
            load_arrivals(con, arrivals, read, None)
            build(con, due_day)
    return {"warehouse": str(target), "files": len(arrivals), "seconds": round(time.monotonic() - started, 2)}
