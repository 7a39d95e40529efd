"""The Great Expectations suites, one per submission kind, as GX suite JSON.

Each expectation's `meta.reason` is the Chinese message a quarantined row
carries; `{column}` fields in it are filled from the failing row.
"""

from __future__ import annotations

import json
from importlib import resources


def suite_names() -> list[str]:
    return sorted(p.name.removesuffix(".json") for p in resources.files(__name__).iterdir() if p.name.endswith(".json"))


def load_suite(kind: str) -> dict:
    """The suite of a kind, as GX suite JSON: {"name": ..., "expectations": [...]}."""
    return json.loads(resources.files(__name__).joinpath(f"{kind}.json").read_text(encoding="utf-8"))
