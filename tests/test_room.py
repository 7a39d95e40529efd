"""The room a run asks of the disk (warehouse/room.py): a file refused unread grows nothing but the landing store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mubiao.pipelines.intake.landing import Arrival, landing_store
from mubiao.pipelines.parsers.limits import Limits
from mubiao.warehouse.room import GROWTH, MARGIN, load_needs

MB = 2**20
LIMITS = Limits(
    max_file_mb=100, max_unpacked_mb=256, max_line_kb=1024, max_columns=500, max_cell_chars=1000, max_rows=1
)


def _arrival(tmp_path: Path, name: str, size: int, duplicate: bool = False) -> Arrival:
    return Arrival(tmp_path / name, name, name * 8, size, dt.datetime(2017, 9, 1, tzinfo=dt.UTC), duplicate)


def test_a_file_over_the_cap_needs_room_in_the_landing_store_only(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    arrivals = [
        _arrival(tmp_path, "a.csv", 3 * MB),
        _arrival(tmp_path, "b.csv", 101 * MB),  # refused unread (MUBIAO_MAX_FILE_MB)
        _arrival(tmp_path, "c.csv", 5 * MB, duplicate=True),  # already landed
    ]
    beside, landing = load_needs(warehouse, arrivals, LIMITS)
    assert beside.folder == tmp_path and beside.size == GROWTH * 3 * MB + MARGIN
    assert landing.folder == landing_store(warehouse) and landing.size == 104 * MB
