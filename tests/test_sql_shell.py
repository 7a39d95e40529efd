"""`mubiao sql` with no query: a scripted session through prompt_toolkit's own test input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from mubiao.cli.sql_shell import run_shell
from tests.test_sql_door import fingerprint


def session(warehouse: Path, typed: str, timeout: float = 30) -> str:
    """What the shell printed for the lines `typed`, ending at the end of input."""
    printed = io.StringIO()
    with create_pipe_input() as keys:
        keys.send_text(typed)
        keys.close()
        run_shell(
            warehouse,
            timeout,
            1000,
            PromptSession(input=keys, output=DummyOutput()),
            Console(file=printed, width=200, color_system=None),
        )
    return printed.getvalue()


def test_tables_lists_the_marts(warehouse):
    printed = session(warehouse, ".tables\n")
    assert "marts.target_completion" in printed and "audit.files" in printed


def test_schema_lists_a_tables_columns(warehouse):
    printed = session(warehouse, ".schema marts.annual_review\n")
    assert "indicator_code" in printed and "yoy_pct" in printed


def test_a_statement_may_run_over_several_lines(warehouse):
    printed = session(warehouse, "select indicator_name, value\nfrom marts.annual_review\nwhere year = 2017;\n")
    assert "生产总值" in printed and "124.3" in printed and "1 行" in printed


def test_a_typo_gets_duckdbs_hint(warehouse):
    printed = session(warehouse, "select * from marts.annual_reviw;\nselect statsu from marts.target_completion;\n")
    assert 'Did you mean "annual_review"' in printed or 'Did you mean "marts.annual_review"' in printed, printed
    assert "Candidate bindings" in printed, printed


def test_a_write_is_refused_and_the_session_goes_on(warehouse):
    before = fingerprint(warehouse)
    printed = session(warehouse, "delete from marts.annual_review;\nselect 'still here' as answer;\n")
    assert "只读查询：不允许写入（DELETE）" in printed and "still here" in printed, printed
    assert fingerprint(warehouse) == before


def test_the_timeout_holds_per_statement(warehouse):
    printed = session(warehouse, "select count(*) from range(10000000000) a;\nselect 42 as answer;\n", timeout=0.5)
    assert "查询超过 0.5 秒" in printed and "42" in printed


def test_an_unknown_dot_command_says_so_and_quit_leaves(warehouse):
    printed = session(warehouse, ".tabels\n.quit\nselect 'never' as answer;\n")
    assert "未知命令：.tabels" in printed and "never" not in printed


def test_without_a_warehouse_it_says_so_in_one_line(tmp_path: Path):
    with pytest.raises(Exception, match="仓库文件不存在"):
        session(tmp_path / "none.duckdb", ".tables\n")
