"""The submission kinds, one spec each (`spec.Kind`), one module per kind, and what is derived from them here:
header recognition (`headers`). A new kind is a module with its `Kind`, added to `registry.KINDS`; `registered`
adds one for as long as a block lasts (a test's fixture kind)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mubiao.foundation.kinds.headers import detect_kind, forget_headers, header_token, map_header, nearest_kind
from mubiao.foundation.kinds.indicator_values import INDICATOR_VALUES
from mubiao.foundation.kinds.indicators import INDICATORS
from mubiao.foundation.kinds.project_progress import PROJECT_PROGRESS
from mubiao.foundation.kinds.projects import PROJECTS
from mubiao.foundation.kinds.registry import KINDS, kind_label, monthly_kinds
from mubiao.foundation.kinds.spec import Kind, Staged
from mubiao.foundation.kinds.targets import TARGETS
from mubiao.foundation.kinds.units import UNITS

__all__ = [
    "INDICATORS",
    "INDICATOR_VALUES",
    "KINDS",
    "PROJECTS",
    "PROJECT_PROGRESS",
    "TARGETS",
    "UNITS",
    "Kind",
    "Staged",
    "detect_kind",
    "header_token",
    "kind_label",
    "map_header",
    "monthly_kinds",
    "nearest_kind",
    "registered",
]


@contextmanager
def registered(kind: Kind) -> Iterator[Kind]:
    """`kind` is one of KINDS, loaded after the others, while the block lasts."""
    if kind.name in KINDS:
        raise ValueError(f"a kind named {kind.name} exists")
    KINDS[kind.name] = kind
    forget_headers()  # a header seen before may be of the new kind
    try:
        yield kind
    finally:
        del KINDS[kind.name]
        forget_headers()
