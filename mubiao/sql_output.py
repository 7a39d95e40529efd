"""How a query's result is shown in the terminal: a table, and one line saying how many rows and what was cut."""

from __future__ import annotations

from rich.table import Table

from mubiao.sql_door import QueryResult


def cell(value: object) -> str:
    """A value as the terminal shows it: empty for NULL, floats without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    return str(value)


def result_table(result: QueryResult) -> Table:
    table = Table(*result.columns, show_lines=False)
    for row in result.rows:
        table.add_row(*map(cell, row))
    return table


def footnote(result: QueryResult) -> str:
    """`N 行`, or how many rows there were and how many were cut."""
    if not result.cut:
        return f"{len(result.rows)} 行"
    return f"共 {result.total:,} 行，只显示前 {len(result.rows):,} 行，截去 {result.cut:,} 行（可用 --limit 调大）"
