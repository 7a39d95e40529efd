"""`mubiao sql` with no query: an interactive shell through the same read-only door (mubiao/sql_door.py).

prompt_toolkit does the line editing, the history and the completion; this module only reads statements
(several lines, up to a `;`), answers the dot commands and prints results. Each statement runs under the
door's rules and timeout, on one read-only connection for the session. Ctrl-C cancels the statement running,
or clears the one being typed, and the session goes on, as in psql.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.history import FileHistory
from rich.console import Console

from mubiao.cli.sql_door import CANCELLED, execute, open_door
from mubiao.cli.sql_output import TERMINAL_ROWS, footnote, result_table
from mubiao.foundation.errors import MubiaoError

HELP = """\
以分号 ; 结束一条语句（可以跨行），只读，每条语句最多运行 {timeout:g} 秒。
  .tables           列出所有表与视图及其说明
  .schema 表名      列出一张表的列、类型与说明
  .help             本说明
  .quit             退出（或 Ctrl+D）
Ctrl+C 取消正在运行的语句，Tab 补全表名与列名，↑↓ 翻看历史。"""
KEYWORDS = [
    "select",
    "from",
    "where",
    "group by",
    "order by",
    "having",
    "limit",
    "join",
    "left join",
    "using",
    "with",
    "as",
    "and",
    "or",
    "not",
    "in",
    "is null",
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "distinct",
    "case",
    "when",
    "then",
    "else",
    "end",
    "describe",
    "summarize",
    "show tables",
]


def _catalogue(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """(schema.table, kind, comment) of every user table and view."""
    return con.execute("""
        select schema_name || '.' || table_name, '表', comment from duckdb_tables() where not internal
        union all
        select schema_name || '.' || view_name, '视图', comment from duckdb_views() where not internal
        order by 1""").fetchall()


def _words(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What Tab completes: keywords, schema.table names and column names."""
    tables = [name for name, _, _ in _catalogue(con)]
    columns = [
        name
        for (name,) in con.execute(
            "select distinct column_name from duckdb_columns() where not internal order by 1"
        ).fetchall()
    ]
    return sorted({*KEYWORDS, *tables, *columns})


class Shell:
    """One session: a read-only connection, a console to print on, and the statement being typed."""

    def __init__(self, con: duckdb.DuckDBPyConnection, console: Console, timeout: float, limit: int) -> None:
        self.con, self.console, self.timeout, self.limit = con, console, timeout, limit
        self.pending: list[str] = []

    @property
    def prompt(self) -> str:
        return "   ...> " if self.pending else "mubiao> "

    def feed(self, line: str) -> bool:
        """Take one typed line; False once the user asks to leave."""
        stripped = line.strip()
        if not self.pending and stripped.startswith("."):
            return self.dot(stripped)
        if stripped:
            self.pending.append(line)
        if stripped.endswith(";"):
            statement, self.pending = "\n".join(self.pending), []
            self.run(statement)
        return True

    def dot(self, command: str) -> bool:
        word, _, rest = command.partition(" ")
        if word in (".quit", ".exit"):
            return False
        if word == ".tables":
            self.show(["表名", "类型", "说明"], _catalogue(self.con))
        elif word == ".schema" and rest.strip():
            self.schema(rest.strip().rstrip(";"))
        elif word == ".help":
            self.console.print(HELP.format(timeout=self.timeout), markup=False)
        else:
            self.console.print(f"未知命令：{command}（.help 查看可用命令）", style="red", markup=False)
        return True

    def schema(self, name: str) -> None:
        schema, _, table = name.rpartition(".")
        rows = self.con.execute(
            """
            select column_name, data_type, comment from duckdb_columns()
            where table_name = ? and (schema_name = ? or ? = '') order by column_index""",
            [table, schema, schema],
        ).fetchall()
        if rows:
            self.show(["列名", "类型", "说明"], rows)
        else:
            self.console.print(f"没有这张表：{name}（.tables 列出所有表）", style="red", markup=False)

    def run(self, statement: str) -> None:
        try:
            result = execute(self.con, statement, self.timeout, self.limit)
            self.console.print(result_table(result))
            self.console.print(footnote(len(result.rows), result.total), style="dim", markup=False)
        except MubiaoError as error:
            self.console.print(str(error), style="red", markup=False)
        except KeyboardInterrupt:
            self.console.print(CANCELLED, style="red", markup=False)

    def show(self, headings: list[str], rows: list[tuple]) -> None:
        from rich.table import Table

        table = Table(*headings)
        for row in rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        self.console.print(table)


def run_shell(
    warehouse: Path,
    timeout: float,
    limit: int | None = None,
    session: PromptSession | None = None,
    console: Console | None = None,
) -> None:
    """Read statements until .quit or end of input; `session` and `console` are the terminal's by default."""
    console = console or Console()
    with open_door(warehouse) as con:
        session = session or PromptSession(history=FileHistory(str(Path.home() / ".mubiao_sql_history")))
        shell = Shell(con, console, timeout, limit or TERMINAL_ROWS)
        completer = WordCompleter(_words(con), ignore_case=True, WORD=True)
        console.print(f"mubiao 只读 SQL（{warehouse}）：.help 查看帮助，.quit 退出", markup=False)
        while True:
            try:
                line = session.prompt(shell.prompt, completer=completer, complete_while_typing=False)
            except KeyboardInterrupt:
                shell.pending = []
                continue
            except EOFError:
                break
            if not shell.feed(line):
                break
