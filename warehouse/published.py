"""Read-only connections to the published warehouse, and what to say when another program holds it.

mubiao's own readers never take a write lock: they open the published file read-only, and a run writes
into a copy (warehouse/publish.py). A foreign read-write session (the DuckDB command line opens files
read-write unless told `-readonly`) locks everyone else out of the file, readers included; then the
reader waits up to the settings' `held_wait_seconds` and stops with one line naming the process that holds it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.settings import read_settings

_POLL_SECONDS = 0.5
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseHeld(MubiaoError):
    """Another program has the published warehouse open read-write, so nobody else can open it."""


def connect_published(warehouse: Path, config: dict | None = None, wait: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `warehouse`; while a foreign process holds it read-write, wait (unless not
    `wait`), then raise WarehouseHeld, which names the holder."""
    deadline = time.monotonic() + (read_settings().held_wait_seconds if wait else 0)
    while True:
        try:
            return duckdb.connect(str(warehouse), read_only=True, config=config or {})
        except duckdb.IOException as error:
            if "Could not set lock" not in str(error):
                raise
            message = held_message(warehouse, str(error))
            if time.monotonic() >= deadline:
                raise WarehouseHeld(message) from None
            time.sleep(_POLL_SECONDS)


def held_message(warehouse: Path, error: str) -> str:
    """One line: which process holds the file, and how analysts should open it instead."""
    found = _HOLDER.search(error)
    holder = f"进程 {found['pid']}（{found['program']}）" if found else "另一个程序"
    return (
        f"仓库文件 {warehouse} 正被{holder}以读写方式打开，mubiao 无法读取；请关闭它，"
        f"分析时以只读方式打开（duckdb -readonly {warehouse}，或用 mubiao sql）"
    )
