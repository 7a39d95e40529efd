"""The Great Expectations suites, one per submission kind, as GX suite JSON.

Each expectation's `meta.reason` is the Chinese message a quarantined row
carries; `{column}` fields in it are filled from the failing row. Its
`meta.check` names it on the validation pages: what it asks of every row
(统计期已填写且有效), true of the row whether its cell was empty or wrong.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


def suite_names() -> list[str]:
    return sorted(p.name.removesuffix(".json") for p in resources.files(__name__).iterdir() if p.name.endswith(".json"))


def load_suite(kind: str) -> dict:
    """The suite of a kind, as GX suite JSON: {"name": ..., "expectations": [...]}."""
    return json.loads(resources.files(__name__).joinpath(f"{kind}.json").read_text(encoding="utf-8"))


@lru_cache
def suite_columns(kind: str) -> list[str]:
    """The columns a kind's suite reads: those its expectations name, and any a row condition mentions."""
    columns: list[str] = []
    for expectation in load_suite(kind)["expectations"]:
        kwargs = expectation["kwargs"]
        named = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
        condition = kwargs.get("row_condition") or ""
        named += re.findall(r"[A-Za-z_][A-Za-z0-9_]*", condition)
        columns += [name for name in named if name and name not in columns]
    return columns
