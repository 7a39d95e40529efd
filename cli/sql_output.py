"""Where a query's result goes: a table on the terminal (cut at the row limit), or every row into a file or pipe.

The row limit is for the terminal: `--out FILE`, or standard output sent to a file or a pipe, gets every
row unless `--limit` is given. A cut result says so under the table, and on stderr beside an export.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table

from mubiao.cli.sql_door import QueryResult, open_door, run_query, streaming
from mubiao.cli.sql_export import Encoding, OutputFormat, write_csv, write_json, write_xlsx
from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.whole_files import written_whole

TERMINAL_ROWS = 1000
UNFOLDED = 100_000
"""Widest table written whole into a file or a pipe, in characters."""


def cell(value: object) -> str:
    """A value as the terminal shows it: empty for NULL, floats without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    return str(value)


def result_table(result: QueryResult) -> Table:
    """The rows as a table whose long words fold onto more lines rather than end in `…`."""
    table = Table(*(Column(name, overflow="fold") for name in result.columns), show_lines=False)
    for row in result.rows:
        table.add_row(*map(cell, row))
    return table


def footnote(shown: int, total: int) -> str:
    """`N 行`, or how many rows there were and how many were cut."""
    if shown == total:
        return f"{shown} 行"
    return f"共 {total:,} 行，只显示前 {shown:,} 行，截去 {total - shown:,} 行（可用 --limit 调大）"


def format_of(out: Path | None) -> OutputFormat:
    """The format a file's suffix names; the table when there is no file."""
    if out is None:
        return OutputFormat.table
    try:
        return OutputFormat(out.suffix.lower().lstrip("."))
    except ValueError:
        raise MubiaoError(f"无法从文件名判断格式：{out.name}（用 .csv、.xlsx、.json，或加 --format）") from None


def print_query(
    warehouse: Path,
    query: str,
    output: OutputFormat | None,
    out: Path | None,
    encoding: Encoding,
    timeout: float,
    limit: int | None,
    console: Console,
    err: Console,
) -> None:
    """`mubiao sql QUERY`: the result as a table on `console`, or written out whole (`--out`, a pipe)."""
    output = output or format_of(out)
    if limit is None and out is None and sys.stdout.isatty():
        limit = TERMINAL_ROWS
    if output is OutputFormat.table:
        if out is not None:
            raise MubiaoError("表格格式不能写入文件：用 --format csv、xlsx 或 json")
        result = run_query(warehouse, query, timeout, limit or sys.maxsize)
        table = result_table(result)
        if not console.is_terminal:  # into a file or a pipe, as wide as the rows are: nothing folded or cut
            console.width = max(
                console.width, Measurement.get(console, console.options.update(max_width=UNFOLDED), table).maximum
            )
        console.print(table)
        console.print(footnote(len(result.rows), result.total), style="dim", highlight=False, soft_wrap=True)
        return
    if output is OutputFormat.xlsx and out is None:
        raise MubiaoError("xlsx 格式需要 --out 文件名，例如 --out 结果.xlsx")
    with open_door(warehouse) as con, streaming(con, query, timeout, limit) as stream, _sink(out) as sink:
        if output is OutputFormat.csv:
            write_csv(stream.columns, stream.rows, sink, encoding)
        elif output is OutputFormat.json:
            write_json(stream.columns, stream.rows, sink)
        else:
            write_xlsx(stream.columns, stream.rows, sink)
    shown = min(stream.total, limit) if limit is not None else stream.total
    if shown < stream.total:
        err.print(footnote(shown, stream.total))
    if out is not None:
        err.print(f"已写出 {shown:,} 行：{out}")


@contextlib.contextmanager
def _sink(out: Path | None):
    """Standard output's bytes, or a file written beside `out` and put in its place once complete."""
    if out is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    with written_whole(out) as partial, partial.open("wb") as handle:
        yield handle
