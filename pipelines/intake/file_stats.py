"""Trust an unchanged file the way git trusts its index (`audit.file_stats`).

Each file a run has hashed is kept with its stat (size, mtime, ctime, inode, device) and the moment the stat
was taken. A later run takes a file whose stat is the same to hold the same content and does not hash it
again. An in-place rewrite that keeps the size and puts the mtime back (`touch -d`) still moves the ctime,
which no user can set. A file written within the same clock tick as its stat could change again without
its stat showing it (git's "racy clean"): a file whose mtime was not well before its stat is always hashed,
so it is trusted only once a later run has seen it at rest. The stat is taken before the file is read, so a
change during the read leaves a stale stat, hashed again next time.

A no-op writes no warehouse, so a file whose stat moved while its content did not (a hard link made to it moves
its ctime) would be hashed by every no-op until a run publishes. The look for news keeps the stats it refreshed
so in a file of their own beside the warehouse (`spill/file_stats.json`, replaced whole), held to the same rules:
racily clean ones are not trusted, and one vouches only for a content the ledger holds under that name.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import duckdb

from mubiao.foundation.catalog import has_table
from mubiao.pipelines.intake.spill import SPILL

RACY_NS = 2_000_000_000
"""How long before its stat a file must have last been written to be trusted: file times come from a coarse
clock that lags the one `time_ns` reads, and some filesystems (FAT) keep an mtime to two seconds."""
AT_REST = f"mtime_ns < checked_ns - {RACY_NS}"
"""The racy rule as the records of audit.file_stats are held to it."""


Stat = tuple[int, int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode, dev), as `stat_key` gives them."""


def stat_key(stat: os.stat_result) -> Stat:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev


class Seen(NamedTuple):
    """A file's stat when a run took it, the sha256 it then held and when the stat was taken (ns). A tuple, not a
    frozen dataclass: a look may read back 48,000 of them (bench size M), and a dataclass took 0.1 s to make them."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    dev: int
    sha256: str
    checked_ns: int

    @property
    def stat(self) -> Stat:
        return self.size, self.mtime_ns, self.ctime_ns, self.inode, self.dev


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
        f"""select s.file_name, s.size_bytes, s.mtime_ns, s.ctime_ns, s.inode, s.dev from audit.file_stats s
        where {AT_REST}
        and exists (select 1 from audit.files f where f.sha256 = s.sha256 and f.file_name = s.file_name)"""
    ).fetchall()
    return {name: tuple(stat) for name, *stat in rows}


def refreshed_path(warehouse: Path) -> Path:
    """Where a no-op keeps the stats it refreshed: the spill folder, which no run lands and no cleaner empties."""
    return warehouse.parent / SPILL / "file_stats.json"


def read_refreshed(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, Seen]:
    """The stats a no-op refreshed (`write_refreshed`) that vouch for their files, as `vouched` has them: not racy,
    and of a content the ledger holds under that name. A file that cannot be read, or not as written, vouches for
    nothing."""
    try:
        kept = {name: Seen(*entry) for name, entry in json.loads(path.read_text(encoding="utf-8")).items()}
        kept = {name: seen for name, seen in kept.items() if seen.mtime_ns < seen.checked_ns - RACY_NS}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
    if not kept or not has_table(con, "audit", "files"):
        return {}
    held = con.execute(
        """select n from (select unnest(?::varchar[]) as n, unnest(?::varchar[]) as s) t
        semi join audit.files f on f.file_name = t.n and f.sha256 = t.s""",
        [list(kept), [seen.sha256 for seen in kept.values()]],
    ).fetchall()
    return {name: kept[name] for (name,) in held}


def write_refreshed(path: Path, seen: dict[str, Seen]) -> None:
    """Keep `seen` in `path` for the next look, replacing what was there whole: a reader finds the old file or the
    new, never a torn one. Where it cannot be written (a folder the user may only read) the next look hashes those
    files again, as before: a look for news does not fail for it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="file_stats-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(seen, out)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise


def at_rest(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> bool:
    """Whether a file the ledger does not hold (the receipt register) is as the latest run recorded it under `name`:
    the same stat, recorded well after its last write. Its content is then what that run read."""
    if not has_table(con, "audit", "file_stats"):
        return False
    recorded = con.execute(
        f"select size_bytes, mtime_ns, ctime_ns, inode, dev from audit.file_stats where file_name = ? and {AT_REST}",
        [name],
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
