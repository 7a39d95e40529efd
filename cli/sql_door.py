"""The read-only SQL door of `mubiao sql` (docs/commands.md §4.7).

One statement, classified by DuckDB's own parser, runs on a read-only
connection with external access and the local file system disabled and the
configuration locked: no file is reached, the warehouse's own included. The
classification gives the user a plain message; DuckDB's settings are the real
barrier, and whatever they stop is reported in the same words.

DuckDB works on a thread of its own while the main thread waits, so that Ctrl-C (which Python delivers to the
main thread, and DuckDB notices only between its tasks) interrupts the query at once, as a timer thread does
one that runs past its timeout. At most `limit` rows are kept, and the rest counted by DuckDB.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.foundation.zone import ZONE_NAME
from mubiao.warehouse.published import connect_published

T = duckdb.StatementType
ALLOWED = {T.SELECT, T.EXPLAIN, T.PRAGMA, T.CALL}
REFUSED = {
    **dict.fromkeys(
        [T.INSERT, T.UPDATE, T.DELETE, T.CREATE, T.CREATE_FUNC, T.DROP, T.ALTER, T.MERGE_INTO, T.ANALYZE, T.VACUUM],
        "不允许写入",
    ),
    **dict.fromkeys([T.COPY, T.EXPORT, T.COPY_DATABASE], "不允许导出或写文件"),
    **dict.fromkeys([T.ATTACH, T.DETACH], "不允许挂接或卸下数据库"),
    **dict.fromkeys([T.LOAD, T.EXTENSION], "不允许安装或加载扩展"),
    **dict.fromkeys([T.SET, T.VARIABLE_SET], "不允许更改设置"),
}
MEMORY_LIMIT = "2GB"
"""A query that needs more stops with a message, rather than take the office PC's memory."""
CONFIG = {
    "enable_external_access": False,
    "allow_persistent_secrets": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": MEMORY_LIMIT,
    "temp_directory": "",
}
"""Set as the connection opens; with persistent secrets off, no secret the office keeps for DuckDB is loaded.
Without a temporary directory a query past the memory limit stops as such, rather than spill to a file system
that the door has disabled (which would read as a refused file access).
External access off still lets DuckDB read the database's own file by name
(read_blob, read_text, a replacement scan), so once the file is open, `open_door` sets the session's time zone
to the zone's (TIMESTAMPTZ columns show local time), disables the local file system and then locks the
configuration, so that nothing can change any of them."""
SEALED = (
    f"set TimeZone = '{ZONE_NAME}'",
    "set disabled_filesystems = 'LocalFileSystem'",
    "set lock_configuration = true",
)
SECRETS = re.compile(r"\b(duckdb_secrets|which_secret)\b", re.IGNORECASE)
"""The functions that list DuckDB's secrets, named anywhere in a statement (a string run by query() included)."""
FETCH_CHUNK = 10_000
CANCELLED = "已取消查询（Ctrl+C）"


class QueryRefused(MubiaoError):
    """The statement is not a read-only query; the message is one line for the user."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    total: int
    """Rows the query gave; more than len(rows) when the limit cut them."""

    @property
    def cut(self) -> int:
        return self.total - len(self.rows)


def _refuse(reason: str) -> QueryRefused:
    return QueryRefused(f"只读查询：{reason}")


def single_statement(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The one read-only statement in `query`, as DuckDB's parser sees it; QueryRefused otherwise."""
    try:
        statements = con.extract_statements(query)
    except duckdb.ParserException as error:
        raise MubiaoError(f"SQL 语法错误：{_with_hints(error)}") from None
    if not statements:
        raise _refuse("没有收到 SQL 语句")
    if len(statements) > 1:
        raise _refuse(f"一次只能执行一条语句（收到 {len(statements)} 条）")
    try:
        kind = statements[0].type
    except ValueError:  # a statement type the Python API has no name for (e.g. UPDATE EXTENSIONS)
        raise _refuse("只允许查询语句（SELECT）") from None
    if kind in REFUSED:
        raise _refuse(f"{REFUSED[kind]}（{kind.name}）")
    if kind not in ALLOWED:
        raise _refuse(f"只允许查询语句（SELECT），收到 {kind.name}")
    if found := SECRETS.search(statements[0].query):
        raise _refuse(f"不允许查看密钥（{found[1].lower()}）")
    return statements[0].query


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _with_hints(error: Exception) -> str:
    """DuckDB's message with its hints (Did you mean …, Candidate bindings …) on one line, without the caret drawing."""
    text = str(error).split("\n\nLINE ")[0]
    return " ".join(line.strip() for line in text.splitlines() if line.strip()) or type(error).__name__


def _explained(error: duckdb.Error, timeout: float) -> MubiaoError:
    """A DuckDB error in the user's words: what the settings stopped, a timeout, else the error's first line."""
    text = str(error)
    if isinstance(error, duckdb.InterruptException):
        return MubiaoError(f"查询超过 {timeout:g} 秒，已停止（可用 --timeout 调大）")
    if isinstance(error, duckdb.OutOfMemoryException):
        return MubiaoError(f"查询所需内存超过 {MEMORY_LIMIT} 的上限，已停止（请缩小查询范围）")
    if isinstance(error, duckdb.PermissionException):
        if "extension" in text.lower():
            return _refuse("不允许安装或加载扩展")
        return _refuse("不允许读取本机文件或网址")
    if "configuration" in text and "locked" in text:
        return _refuse("不允许更改设置")
    if "Cannot execute statement of type" in text:
        return _refuse("不允许写入")
    return MubiaoError(f"查询失败：{_with_hints(error)}")


Call = Callable[..., object]
"""Runs a function of DuckDB's work (a query, a fetch) on the door's worker thread and returns its result."""


@contextlib.contextmanager
def _within(con: duckdb.DuckDBPyConnection, timeout: float) -> Iterator[Call]:
    """A `Call` for the block's DuckDB work, interrupted after `timeout` seconds or by Ctrl-C (KeyboardInterrupt
    then goes on once DuckDB has stopped); DuckDB's errors in the block in the user's words."""
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="mubiao-sql") as worker:

            def call(function: Callable, *args: object) -> object:
                future = worker.submit(function, *args)
                try:
                    return future.result()
                except KeyboardInterrupt:
                    con.interrupt()
                    wait([future])
                    raise

            yield call
    except duckdb.Error as error:
        raise _explained(error, timeout) from None
    finally:
        timer.cancel()


def _total(con: duckdb.DuckDBPyConnection, statement: str) -> int:
    """How many rows `statement` gives, counted by DuckDB rather than fetched (the statement runs again)."""
    try:
        return con.execute(f"select count(*) from (\n{statement}\n)").fetchone()[0]
    except duckdb.InterruptException:
        raise
    except duckdb.Error:  # a statement that cannot be a subquery (PRAGMA, CALL, EXPLAIN): fetch and count
        cursor = con.execute(statement)
        return sum(map(len, iter(lambda: cursor.fetchmany(FETCH_CHUNK), [])))


def open_door(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse with external access off and the configuration locked."""
    require_warehouse(warehouse)
    try:
        con = connect_published(warehouse, config=CONFIG)
    except duckdb.Error as error:
        raise MubiaoError(f"仓库无法打开：{_first_line(error)}") from None
    for setting in SEALED:
        con.execute(setting)
    return con


def execute(con: duckdb.DuckDBPyConnection, query: str, timeout: float = 30, limit: int = 1000) -> QueryResult:
    """Run one read-only statement on a door's connection; at most `limit` rows, stopped after `timeout` seconds."""
    statement = single_statement(con, query)

    def work() -> QueryResult:
        cursor = con.execute(statement)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limit + 1)
        total = len(rows) if len(rows) <= limit else _total(con, statement)
        return QueryResult(columns, rows[:limit], total)

    with _within(con, timeout) as call:
        return call(work)


@dataclass
class Stream:
    columns: list[str]
    rows: Iterator[tuple]
    """At most the limit's rows, fetched as they are read."""
    total: int | None = None
    """How many rows the statement gives: known once `rows` is used up."""


@contextlib.contextmanager
def streaming(
    con: duckdb.DuckDBPyConnection, query: str, timeout: float = 30, limit: int | None = None
) -> Iterator[Stream]:
    """Run one read-only statement whose rows are read in the block, FETCH_CHUNK at a time, within `timeout`."""
    statement = single_statement(con, query)
    with _within(con, timeout) as call:
        cursor = call(con.execute, statement)
        stream = Stream([d[0] for d in cursor.description or []], iter(()))

        def rows() -> Iterator[tuple]:
            kept = 0
            for batch in iter(lambda: call(cursor.fetchmany, FETCH_CHUNK), []):
                if limit is not None and kept + len(batch) > limit:
                    yield from batch[: limit - kept]
                    stream.total = call(_total, con, statement)
                    return
                kept += len(batch)
                yield from batch
            stream.total = kept

        stream.rows = rows()
        yield stream


def run_query(warehouse: Path, query: str, timeout: float = 30, limit: int = 1000) -> QueryResult:
    """Run one read-only statement on the warehouse (`open_door`, `execute`)."""
    with open_door(warehouse) as con:
        return execute(con, query, timeout, limit)
