"""The warehouse's data dictionary: each table's and column's Chinese description, written beside its model.

A model's SQL file (and schema.sql, above each stored table) holds a block of lines

    -- @table schema.name 一行是什么（粒度）、单位、代码的含义
    -- @column name 该列的含义

each @column belonging to the @table above it. `apply_comments` turns them into DuckDB's COMMENT ON, so
duckdb_tables(), duckdb_views() and duckdb_columns() carry them to `mubiao tables`, the catalogue page and any
client. A `-- @` line of any other form is an error, as is a column named twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

_LINE = re.compile(r"-- @(table|column) ([\w.{}]+) (\S.*)")


class DictionaryError(ValueError):
    """A malformed block: a developer's mistake, found by any build."""


@dataclass
class Described:
    """A table or view and its columns, as a block describes them."""
    name: str
    comment: str
    columns: dict[str, str] = field(default_factory=dict)


def read_blocks(sql: str) -> list[Described]:
    """Every table a file's blocks describe, in order."""
    described: list[Described] = []
    for number, line in enumerate(sql.splitlines(), 1):
        if not line.startswith("-- @"):
            continue
        match = _LINE.fullmatch(line.rstrip())
        if not match:
            raise DictionaryError(f"line {number}: expected '-- @table schema.name text' or '-- @column name text'")
        tag, name, text = match.groups()
        if tag == "table":
            described.append(Described(name, text))
        elif not described:
            raise DictionaryError(f"line {number}: @column {name} before any @table")
        elif name in described[-1].columns:
            raise DictionaryError(f"line {number}: {described[-1].name}.{name} described twice")
        else:
            described[-1].columns[name] = text
    return described


def model_block(sql: str, name: str) -> Described:
    """The one block of a model's file, which must describe `name` (schema.name) and nothing else."""
    blocks = read_blocks(sql)
    if [block.name for block in blocks] != [name]:
        raise DictionaryError(f"the file of {name} describes {[block.name for block in blocks]}")
    return blocks[0]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con: duckdb.DuckDBPyConnection, described: Described) -> None:
    """COMMENT ON the table (or view) and each of its described columns."""
    con.execute(f"comment on table {described.name} is {_literal(described.comment)}")
    for column, text in described.columns.items():
        con.execute(f"comment on column {described.name}.{column} is {_literal(text)}")
