"""What typer and click print around mubiao's own messages is Chinese: usage errors, help headings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mubiao.cli.locale import CATALOGUE, compiled

MUBIAO = str(Path(sys.executable).with_name("mubiao"))


def _mubiao(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LANG")}
    return subprocess.run([MUBIAO, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["stauts"], "错误：没有这个命令：stauts，是不是想输入 status？（输入 mubiao --help 查看用法）"),
        (["status", "--period"], "错误：选项 --period 后面需要一个值（输入 mubiao --help 查看用法）"),
        (
            ["report", "--yaer", "2017"],
            "错误：没有这个选项：--yaer，是不是想输入 --year？（输入 mubiao report --help 查看用法）",
        ),
        (["run", "--due-day", "99"], "错误：--due-day 的值无效：应不大于 28（输入 mubiao run --help 查看用法）"),
        (
            ["sql", "select", "1"],
            "错误：多出了无法识别的参数：1（含空格的值请用引号括起来）（输入 mubiao sql --help 查看用法）",
        ),
        (
            ["sql", "--format", "xls", "select 1"],
            "错误：--format 的值无效：'xls' 不是可选的值之一：'table', 'csv', 'json', 'xlsx'（输入 mubiao sql --help 查看用法）",
        ),
    ],
)
def test_a_usage_error_is_one_chinese_line(args: list[str], said: str) -> None:
    result = _mubiao(*args)
    assert result.returncode == 2 and result.stderr.strip() == said, result.stderr


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["sql", "--help"]])
def test_help_is_chinese(args: list[str]) -> None:
    shown = _mubiao(*args).stdout
    assert "用法：mubiao" in shown and "选项" in shown and "显示本帮助并退出" in shown, shown
    for english in ("Usage", "Options", "Commands", "Show this message", "<bool>"):
        assert english not in shown, english


def test_the_compiled_catalogue_is_the_po_files() -> None:
    """After editing messages.po, run `python -m mubiao.cli.locale`."""
    assert CATALOGUE.with_suffix(".mo").read_bytes() == compiled()
