"""The shape the house keeps: no module of the package over 400 lines, no function over 50."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FOLDERS = ("cli", "flows", "report", "warehouse", "pipelines", "expectations", "foundation", "data")
MODULE_LINES = 400
FUNCTION_LINES = 50

MODULES = sorted(path for folder in PACKAGE_FOLDERS for path in (ROOT / folder).rglob("*.py"))


def long_functions(source: str) -> list[tuple[str, int]]:
    """Each function (or method) longer than FUNCTION_LINES, with its length from `def` to its last line."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_module_and_its_functions_are_short(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MODULE_LINES
    assert long_functions(source) == []


def test_a_long_function_is_found() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LINES))
    assert long_functions(f"def short():\n    pass\n\ndef long():\n{body}\n") == [("long", FUNCTION_LINES + 1)]
