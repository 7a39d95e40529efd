"""The warehouse's data dictionary: each table's and column's Chinese description, written beside its model.

A model's SQL file (and schema.sql, above each stored table) holds a block of lines

    -- @table schema.name 一行是什么（粒度）、单位、代码的含义
    -- @model kind=table grain=year,unit_code parameters=params.settings
    -- @column name 该列的含义

each @model and @column belonging to the @table above it. `apply_comments` turns the descriptions into DuckDB's
COMMENT ON, so duckdb_tables(), duckdb_views() and duckdb_columns() carry them to `mubiao tables`, the catalogue page
and any client. The @model line, in a model's file only, says what the model is (`Header`; warehouse/model_files.py
reads it). A `-- @` line of any other form is an error, as is a column named twice or a second @model.
`read_relations` and `read_columns` read them back from a warehouse.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass, field

import duckdb

from mubiao.foundation.errors import MubiaoError

_LINE = re.compile(r"-- @(table|column) ([\w.{}]+) (\S.*)")
_MODEL_LINE = re.compile(r"-- @model((?: \w+=\S+)+)")
_NAMES = re.compile(r"\w+(?:\.\w+)?(?:,\w+(?:\.\w+)?)*")
VIEW, TABLE, BY_MONTH = "view", "table", "table_by_month"


class DictionaryError(ValueError):
    """A malformed block: a developer's mistake, found by any build."""


@dataclass(frozen=True)
class Header:
    """What a model is, as its @model line says, in the manner of SQLMesh's MODEL (…) or a dbt config block."""

    kind: str
    """view (a query, always current), table (rebuilt whole by each build) or table_by_month (each row belongs to
    one (year, month); a build rewrites the months of params.build_months)"""
    grain: tuple[str, ...]
    """The columns that name one row."""
    parameters: tuple[str, ...] = ()
    """The parameter tables (params.*) it reads: its only inputs besides the data."""
    rounded: bool = False
    """A table of figures that gets a rounded view as the meeting pack shows it (warehouse/rounded.py)."""


@dataclass
class Described:
    """A table or view and its columns, as a block describes them."""

    name: str
    comment: str
    columns: dict[str, str] = field(default_factory=dict)
    header: Header | None = None


def read_blocks(sql: str) -> list[Described]:
    """Every table a file's blocks describe, in order."""
    described: list[Described] = []
    for number, line in enumerate(sql.splitlines(), 1):
        if not line.startswith("-- @"):
            continue
        if line.startswith("-- @model"):
            if not described or described[-1].header:
                raise DictionaryError(f"line {number}: @model before any @table, or a second @model")
            described[-1].header = _header(line.rstrip(), number)
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


def _header(line: str, number: int) -> Header:
    match = _MODEL_LINE.fullmatch(line)
    settings = dict(item.split("=", 1) for item in match.group(1).split()) if match else {}
    if not match or len(settings) != len(match.group(1).split()):
        raise DictionaryError(f"line {number}: expected '-- @model kind=… grain=a,b [parameters=s.t,…] [rounded=true]'")
    unknown = set(settings) - {"kind", "grain", "parameters", "rounded"}
    problems = [f"unknown {', '.join(sorted(unknown))}"] if unknown else []
    if settings.get("kind") not in (VIEW, TABLE, BY_MONTH):
        problems.append(f"kind is one of {VIEW}, {TABLE}, {BY_MONTH}")
    for key in ("grain", "parameters"):
        if (key == "grain" or key in settings) and not _NAMES.fullmatch(settings.get(key, "")):
            problems.append(f"{key} is names separated by commas")
    if settings.get("rounded", "true") != "true":
        problems.append("rounded is true or left out")
    if problems:
        raise DictionaryError(f"line {number}: {'; '.join(problems)}")
    return Header(
        settings["kind"],
        tuple(settings["grain"].split(",")),
        tuple(settings["parameters"].split(",")) if "parameters" in settings else (),
        "rounded" in settings,
    )


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


# --- reading it back ---------------------------------------------------------------------------------

SCHEMAS = ["marts", "core", "audit", "staging", "params"]
"""The described schemas, in the order an analyst reads them."""
COUNT_SECONDS = 5.0
"""A view whose rows take longer to count shows no count: a view is its query, run again to count it."""


@dataclass
class Relation:
    name: str
    """schema.table"""
    kind: str
    """表 or 视图"""
    comment: str
    rows: int | None
    """None when counting took longer than COUNT_SECONDS."""

    @property
    def rows_text(self) -> str:
        return "—" if self.rows is None else f"{self.rows:,}"


@dataclass
class Column:
    name: str
    data_type: str
    comment: str


def read_relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """Every table and view of the described schemas, with its comment and its row count."""
    found = con.execute(
        """
        select schema_name, name, kind, coalesce(comment, '') from (
            select schema_name, table_name as name, '表' as kind, comment from duckdb_tables()
            union all
            select schema_name, view_name, '视图', comment from duckdb_views() where not internal
        )
        where list_contains($schemas, schema_name)
        order by list_position($schemas, schema_name), name""",
        {"schemas": SCHEMAS},
    ).fetchall()
    return [
        Relation(f"{schema}.{name}", kind, comment, _count(con, schema, name)) for schema, name, kind, comment in found
    ]


def _count(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> int | None:
    timer = threading.Timer(COUNT_SECONDS, con.interrupt)
    timer.start()
    try:
        return con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
    except duckdb.InterruptException:
        return None
    finally:
        timer.cancel()


def resolve(relations: list[Relation], name: str) -> Relation:
    """The relation `name` means: schema.table, or a table name found in one schema only."""
    exact = [r for r in relations if name.lower() in (r.name, r.name.split(".", 1)[1])]
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise MubiaoError(f"表名 {name} 不唯一，请写明 schema：{'、'.join(r.name for r in exact)}")
    close = difflib.get_close_matches(
        name.lower(), [r.name for r in relations] + [r.name.split(".", 1)[1] for r in relations], n=1
    )
    meant = [r.name for r in relations if close and close[0] in (r.name, r.name.split(".", 1)[1])]
    hint = f"，是否要找 {'、'.join(meant)}？" if meant else ""
    raise MubiaoError(f"仓库中没有表 {name}{hint}（mubiao tables 列出所有表）")


def read_columns(con: duckdb.DuckDBPyConnection, relation: Relation) -> list[Column]:
    schema, name = relation.name.split(".", 1)
    return [
        Column(*row)
        for row in con.execute(
            """
        select column_name, data_type, coalesce(comment, '') from duckdb_columns()
        where schema_name = ? and table_name = ? order by column_index""",
            [schema, name],
        ).fetchall()
    ]
