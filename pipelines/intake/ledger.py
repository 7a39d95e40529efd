"""The ledger (`audit.files`) and the inbox's passed-over entries (`audit.skipped`), as a run reads and writes them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb

from mubiao.foundation.catalog import has_table
from mubiao.pipelines.intake.inbox import Passed


def ledger(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Every recorded sha256 with the names it arrived under (none in a warehouse not yet made)."""
    known: dict[str, set[str]] = defaultdict(set)
    if not has_table(con, "audit", "files"):
        return known
    for sha, name in con.execute("select sha256, file_name from audit.files").fetchall():
        known[sha].add(name)
    return known


def receipt_epochs(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each recorded name's received_at, as its latest arrival was stamped, in µs since the epoch: compared with
    the register's times without making a datetime a file."""
    if not has_table(con, "audit", "files"):
        return {}
    query = "select file_name, epoch_us(arg_max(received_at, seq)) from audit.files group by all"
    return dict(con.execute(query).fetchall())


def retime(con: duckdb.DuckDBPyConnection, times: dict[str, dt.datetime]) -> None:
    """Stamp the recorded files `times` names with the register's times."""
    if times:
        con.executemany(
            "update audit.files set received_at = ? where file_name = ?", [(t, n) for n, t in times.items()]
        )


def passed_over(con: duckdb.DuckDBPyConnection) -> set[Passed]:
    """What the published warehouse says its latest run passed over in the inbox."""
    if not has_table(con, "audit", "skipped"):
        return set()
    return {Passed(name, reason) for name, reason in con.execute("select name, reason from audit.skipped").fetchall()}


def record_passed(con: duckdb.DuckDBPyConnection, passed: list[Passed], seen_at: dt.datetime) -> None:
    """`audit.skipped` becomes what this run passed over."""
    con.execute("delete from audit.skipped")
    if passed:
        con.executemany("insert into audit.skipped values (?, ?, ?)", [(p.name, p.reason, seen_at) for p in passed])
