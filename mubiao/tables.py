"""`mubiao tables`: the warehouse's data dictionary, read from the comments it carries (warehouse/dictionary.py)."""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass

import duckdb
from rich.table import Table
from rich.text import Text

from mubiao.errors import MubiaoError

SCHEMAS = ["marts", "core", "audit", "staging"]
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
    found = con.execute("""
        select schema_name, name, kind, coalesce(comment, '') from (
            select schema_name, table_name as name, '表' as kind, comment from duckdb_tables()
            union all
            select schema_name, view_name, '视图', comment from duckdb_views() where not internal
        )
        where list_contains($schemas, schema_name)
        order by list_position($schemas, schema_name), name""", {"schemas": SCHEMAS}).fetchall()
    return [Relation(f"{schema}.{name}", kind, comment, _count(con, schema, name))
            for schema, name, kind, comment in found]


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
    close = difflib.get_close_matches(name.lower(), [r.name for r in relations]
                                      + [r.name.split(".", 1)[1] for r in relations], n=1)
    meant = [r.name for r in relations if close and close[0] in (r.name, r.name.split(".", 1)[1])]
    hint = f"，是否要找 {'、'.join(meant)}？" if meant else ""
    raise MubiaoError(f"仓库中没有表 {name}{hint}（mubiao tables 列出所有表）")


def read_columns(con: duckdb.DuckDBPyConnection, relation: Relation) -> list[Column]:
    schema, name = relation.name.split(".", 1)
    return [Column(*row) for row in con.execute("""
        select column_name, data_type, coalesce(comment, '') from duckdb_columns()
        where schema_name = ? and table_name = ? order by column_index""", [schema, name]).fetchall()]


def relations_table(relations: list[Relation]) -> Table:
    table = Table(title=f"仓库中的表与视图（{len(relations)} 个）", title_justify="left")
    table.add_column("表名", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("行数", justify="right", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for relation in relations:
        table.add_row(*map(Text, (relation.name, relation.kind, relation.rows_text, relation.comment)))
    return table


def columns_table(relation: Relation, columns: list[Column]) -> Table:
    table = Table(title=Text(f"{relation.name}（{relation.kind}，{relation.rows_text} 行）：{relation.comment}"),
                  title_justify="left")
    table.add_column("列名", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for column in columns:
        table.add_row(*map(Text, (column.name, column.data_type, column.comment)))
    return table
