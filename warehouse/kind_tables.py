"""Each kind's stored tables, made from its spec (foundation/kinds): raw.<kind>, one text column per column of
the file as read, and staging.<kind>, its typed rows, with their descriptions."""

from __future__ import annotations

import duckdb

from mubiao.foundation.kinds import KINDS, Kind
from mubiao.warehouse.dictionary import Described, apply_comments

FILE_COLUMNS = {
    "sha256": ("varchar not null", "所在文件内容的 SHA-256（对应 audit.files.sha256）"),
    "sheet": ("varchar", "所在工作表名（CSV 文件为空）"),
    "row_number": ("integer not null", "在文件（工作表）中的行号，1 = 表头下第一行数据"),
}
"""The columns every raw and staging row starts with: where it was read."""


def _where(columns: list[str]) -> str:
    return ", ".join([*(f"{name} {sql}" for name, (sql, _) in FILE_COLUMNS.items()), *columns])


def raw_ddl(kind: Kind) -> str:
    columns = [f"{name} varchar" for name in kind.column_names]
    return f"create table if not exists raw.{kind.name} ({_where([*columns, 'raw json not null'])})"


def staging_ddl(kind: Kind) -> str:
    return f"create table if not exists staging.{kind.name} ({_where([f'{c.name} {c.sql}' for c in kind.staging])})"


def staging_described(kind: Kind) -> Described:
    """staging.<kind>'s description and its columns'."""
    columns = {name: text for name, (_, text) in FILE_COLUMNS.items()}
    return Described(f"staging.{kind.name}", kind.description, columns | {c.name: c.description for c in kind.staging})


def kinds_ddl() -> str:
    """Every kind's tables, as SQL: what the models' fingerprint takes in beside their files."""
    return ";\n".join(ddl(kind) for kind in KINDS.values() for ddl in (raw_ddl, staging_ddl))


def create_kind_tables(con: duckdb.DuckDBPyConnection) -> None:
    """raw.<kind> and staging.<kind> for every kind, where missing; staging described."""
    for kind in KINDS.values():
        con.execute(raw_ddl(kind))
        con.execute(staging_ddl(kind))
        apply_comments(con, staging_described(kind))
