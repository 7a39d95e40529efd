"""How much free space a load needs, and on which disk: checked before it writes anything (foundation/disk.py).

A load writes beside the warehouse file: its private copy (warehouse/publish.py) with DuckDB's WAL and its spill
folder (`<name>.building.tmp`), the run's chunks (`spill/`), the Data Docs and the pack; and the new files into
the landing store, which an office may have mounted elsewhere. The figures are estimates, on the safe side.
"""

from __future__ import annotations

from pathlib import Path

from mubiao.foundation.disk import Need
from mubiao.pipelines.intake.landing import Arrival, landing_store
from mubiao.pipelines.parsers.limits import Limits

GROWTH = 20
"""Bytes a load writes beside the warehouse per byte of new files, at its peak: their rows in raw, staging and the
audit tables, each row's raw JSON, the WAL and the chunks. The bench's zone S, 22 MB of files, peaked at 286 MB
(13 ×) for a warehouse of 41 MB."""
MARGIN = 16 << 20
"""What a build writes whatever it loads: the rebuilt tables, the Data Docs (their style sheets alone are 4 MB)
and the pack."""
WAREHOUSE_DISK, LANDING_DISK = "仓库所在磁盘", "落地区所在磁盘"


def _size(warehouse: Path) -> int:
    return warehouse.stat().st_size if warehouse.exists() else 0


def load_needs(warehouse: Path, arrivals: list[Arrival], limits: Limits | None = None) -> list[Need]:
    """A run's: a copy of the warehouse and what the new files it will read grow it by (a file over
    MUBIAO_MAX_FILE_MB is refused unread: it grows nothing); every new file in the landing store."""
    limits = limits or Limits.from_env()
    new = [arrival.size_bytes for arrival in arrivals if not arrival.duplicate]
    read = sum(size for size in new if not limits.refuses(size))
    return [
        Need(warehouse.parent, WAREHOUSE_DISK, _size(warehouse) + GROWTH * read + MARGIN),
        Need(landing_store(warehouse), LANDING_DISK, sum(new)),
    ]


def rebuild_needs(warehouse: Path, target: Path | None = None) -> list[Need]:
    """A backfill's (`target` None: a copy of the warehouse, and months restated within it) or a known-at
    rebuild's (a new file at `target`, no larger than the warehouse)."""
    size = _size(warehouse)
    if target is None:
        return [Need(warehouse.parent, WAREHOUSE_DISK, 2 * size + MARGIN)]
    return [Need(target.parent, WAREHOUSE_DISK, size + MARGIN)]
