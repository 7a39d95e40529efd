"""The Great Expectations suites, one per submission kind, built from the kind's spec (foundation/kinds).

Each expectation's `meta.reason` is the Chinese message a quarantined row
carries; `{column}` fields in it are filled from the failing row. Its
`meta.check` names it on the validation pages: what it asks of every row
(统计期已填写且有效), true of the row whether its cell was empty or wrong.
The suites are made in memory, as GX's ephemeral context holds them: written out as JSON they would be a second
copy of the spec to keep in step.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

from mubiao.foundation.kinds import KINDS


def suite_names() -> list[str]:
    return sorted(KINDS)


def load_suite(kind: str) -> dict:
    """The suite of a kind, as GX suite JSON: {"name": ..., "expectations": [...]}, the key's uniqueness last."""
    spec = KINDS[kind]
    return {
        "name": kind,
        "expectations": [
            {"type": e.type, "kwargs": copy.deepcopy(e.kwargs), "meta": {"check": e.check, "reason": e.reason}}
            for e in (*spec.expectations, spec.unique_expectation)
        ],
    }


@lru_cache
def suite_columns(kind: str) -> list[str]:
    """The columns a kind's suite reads: those its expectations name, and any a row condition mentions."""
    columns: list[str] = []
    for expectation in load_suite(kind)["expectations"]:
        kwargs = expectation["kwargs"]
        named = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
        condition = re.sub(r"\"[^\"]*\"|'[^']*'", "", kwargs.get("row_condition") or "")  # no quoted values
        named += [name for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", condition) if name not in ("True", "False")]
        columns += [name for name in named if name and name not in columns]
    return columns
