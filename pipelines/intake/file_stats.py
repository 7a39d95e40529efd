"""Trust an unchanged file the way git trusts its index (`audit.file_stats`).

Each file a run has hashed is kept with its stat (size, mtime, ctime, inode, device) and the moment the stat
was taken. A later run takes a file whose stat is the same to hold the same content and does not hash it
again. An in-place rewrite that keeps the size and puts the mtime back (`touch -d`) still moves the ctime,
which no user can set. A file written within the same clock tick as its stat could change again without
its stat showing it (git's "racy clean"): a file whose mtime was not well before its stat is always hashed,
so it is trusted only once a later run has seen it at rest. The stat is taken before the file is read, so a
change during the read leaves a stale stat, hashed again next time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mubiao.foundation.catalog import has_table

RACY_NS = 2_000_000_000
"""How long before its stat a file must have last been written to be trusted: file times come from a coarse
clock that lags the one `time_ns` reads, and some filesystems (FAT) keep an mtime to two seconds."""


Stat = tuple[int, int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode, dev), as `stat_key` gives them."""


def stat_key(stat: os.stat_result) -> Stat:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev


@dataclass(frozen=True)
class Seen:
    """A file's stat when a run took it, the sha256 it then held and when the stat was taken (ns)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    dev: int
    sha256: str
    checked_ns: int


def stat_of(path: Path) -> tuple[os.stat_result, int]:
    """A file's stat and the moment just before it was taken."""
    checked = time.time_ns()
    return path.stat(), checked


def seen_now(stat: os.stat_result, sha256: str, checked_ns: int) -> Seen:
    return Seen(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev, sha256, checked_ns)


def vouched(con: duckdb.DuckDBPyConnection) -> dict[str, Stat]:
    """Each file name whose recorded stat vouches for its content, with that stat: a file last written well
    before its stat was taken (not racy) and a content the ledger holds under that name. A file whose stat is
    the same is taken for that content unread. One query and a tuple a file, no object."""
    if not has_table(con, "audit", "file_stats"):
        return {}
    rows = con.execute(
        """select s.file_name, s.size_bytes, s.mtime_ns, s.ctime_ns, s.inode, s.dev from audit.file_stats s
        where s.mtime_ns < s.checked_ns - ?
        and exists (select 1 from audit.files f where f.sha256 = s.sha256 and f.file_name = s.file_name)""",
        [RACY_NS],
    ).fetchall()
    return {name: tuple(stat) for name, *stat in rows}


def at_rest(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> bool:
    """Whether a file the ledger does not hold (the receipt register) is as the latest run recorded it under `name`:
    the same stat, recorded well after its last write. Its content is then what that run read."""
    if not has_table(con, "audit", "file_stats"):
        return False
    recorded = con.execute(
        """select size_bytes, mtime_ns, ctime_ns, inode, dev from audit.file_stats
        where file_name = ? and mtime_ns < checked_ns - ?""",
        [name, RACY_NS],
    ).fetchone()
    try:
        return recorded is not None and tuple(recorded) == stat_key(path.stat())
    except OSError:
        return False


_COLUMNS = ("size", "mtime_ns", "ctime_ns", "inode", "dev", "sha256", "checked_ns")


def record_stats(con: duckdb.DuckDBPyConnection, seen: dict[str, Seen], vouched: list[str]) -> None:
    """`audit.file_stats` becomes what this run saw in the inbox: the records of the files their stat vouched for
    stand, the files it hashed (`seen`) are recorded anew, and the files no longer there go. The names are passed
    as one list and the new records in one Arrow batch: DuckDB's `executemany` inserts a row at a time (8.5 s for
    the 4,829 files of bench size S), and at M most of the 48,000 records stand."""
    con.execute("delete from audit.file_stats where file_name not in (select unnest(?::varchar[]))", [vouched])
    if not seen:
        return
    import pyarrow as pa

    rows = pa.table(
        {"file_name": list(seen), **{field: [getattr(s, field) for s in seen.values()] for field in _COLUMNS}}
    )
    con.from_arrow(rows).insert_into("audit.file_stats")
