"""What a DuckDB connection holds: the one check for a table (or view), or a column, that may not be made yet."""

from __future__ import annotations

import duckdb


def has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether `schema.name` exists as a table or a view, in any database the connection has attached."""
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
        ).fetchone()[0]
    )


def has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    """Whether the table `schema.table` has `column`, in any database the connection has attached."""
    return bool(
        con.execute(
            "select count(*) from information_schema.columns where table_schema = ? and table_name = ?"
            " and column_name = ?",
            [schema, table, column],
        ).fetchone()[0]
    )
