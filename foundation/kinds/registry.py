"""The kinds a file may be, in load order: reference kinds first, so a value file can name a unit that arrived
with it."""

from __future__ import annotations

from mubiao.foundation.kinds.indicator_values import INDICATOR_VALUES
from mubiao.foundation.kinds.indicators import INDICATORS
from mubiao.foundation.kinds.project_progress import PROJECT_PROGRESS
from mubiao.foundation.kinds.projects import PROJECTS
from mubiao.foundation.kinds.spec import Kind
from mubiao.foundation.kinds.targets import TARGETS
from mubiao.foundation.kinds.units import UNITS

KINDS: dict[str, Kind] = {k.name: k for k in (UNITS, INDICATORS, PROJECTS, TARGETS, INDICATOR_VALUES, PROJECT_PROGRESS)}


def monthly_kinds() -> tuple[str, ...]:
    """The kinds whose rows are each about a month (`Kind.by_month`)."""
    return tuple(name for name, kind in KINDS.items() if kind.by_month)


def kind_label(kind: str | None) -> str:
    """The Chinese name of a submission kind (指标数据, 项目进度 …); a name that is not a kind, as it is."""
    return KINDS[kind].label if kind in KINDS else (kind or "")
