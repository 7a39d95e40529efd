"""The submission kinds of docs/submissions.md §2: their columns, header spellings and keys.

A file's kind is recognised from its header row alone: the kind whose
required columns are all present, preferring the one that explains the most
columns. Headers are compared after `header_token`, so ` 单位代码 `, `单位代码　`
and `Unit_Code` all name the same column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Column:
    name: str
    spellings: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        """The header the office writes (本期累计值), else the English name."""
        return next((spelling for spelling in self.spellings if not spelling.isascii()), self.name)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Columns (after normalising) that identify a row; twice in one file is an error."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _col(name: str, *spellings: str, required: bool = False) -> Column:
    return Column(name, (name, *spellings), required)


UNITS = Kind(
    "units",
    "单位名录",
    (
        _col("unit_code", "单位代码", required=True),
        _col("unit_name", "单位名称", required=True),
        _col("unit_type", "单位类型", required=True),
    ),
    key=("unit_code",),
)

INDICATORS = Kind(
    "indicators",
    "指标目录",
    (
        _col("indicator_code", "指标代码", required=True),
        _col("indicator_name", "指标名称", required=True),
        _col("measure", "计量单位", required=True),
        _col("aggregation", "汇总方式", required=True),
        _col("responsible_unit", "责任单位", required=True),
        _col("frequency", "报送频率", "频率"),
        _col("reporting_units", "填报范围", "报送范围", "填报单位范围"),
    ),
    key=("indicator_code",),
)

INDICATOR_VALUES = Kind(
    "indicator_values",
    "指标数据",
    (
        _col("unit_code", "单位代码"),
        _col("unit_name", "单位名称", "填报单位"),
        _col("indicator_code", "指标代码"),
        _col("indicator_name", "指标名称"),
        _col("period", "统计期", required=True),
        _col("value", "本期累计值", "累计值", required=True),
        _col("measure", "计量单位", required=True),
        _col("yoy_pct", "同比增长", "同比增长(%)", "同比增长%", "同比增减(%)"),
        _col("note", "备注"),
    ),
    key=("unit_code", "indicator_code", "year", "month"),
)

TARGETS = Kind(
    "targets",
    "年度目标",
    (
        _col("year", "年度", required=True),
        _col("indicator_code", "指标代码"),
        _col("indicator_name", "指标名称"),
        _col("target_text", "目标", "预期目标", required=True),
        _col("responsible_unit", "责任单位"),
        _col("outcome", "完成情况"),
    ),
    key=("year", "indicator_code"),
)

PROJECTS = Kind(
    "projects",
    "重点项目",
    (
        _col("year", "年度", required=True),
        _col("project_code", "项目编号", required=True),
        _col("project_name", "项目名称", required=True),
        _col("category", "项目类别", required=True),
        _col("owner", "建设单位"),
        _col("responsible_unit", "责任单位", required=True),
        _col("total_investment", "计划总投资", "总投资", required=True),
        _col("annual_plan", "年度计划投资", required=True),
        _col("measure", "计量单位", required=True),
        _col("batch", "批次"),
        _col("planned_start", "计划开工"),
    ),
    key=("year", "project_code"),
)

PROJECT_PROGRESS = Kind(
    "project_progress",
    "项目进度",
    (
        _col("project_code", "项目编号", required=True),
        _col("period", "统计期", required=True),
        _col("completed_ytd", "本年累计完成投资", required=True),
        _col("measure", "计量单位", required=True),
        _col("status", "项目状态", required=True),
        _col("start_date", "实际开工日期"),
        _col("note", "备注"),
    ),
    key=("project_code", "year", "month"),
)

KINDS: dict[str, Kind] = {k.name: k for k in (UNITS, INDICATORS, PROJECTS, TARGETS, INDICATOR_VALUES, PROJECT_PROGRESS)}
"""In load order: reference kinds first, so a value file can name a unit that arrived with it."""


def header_token(text: object) -> str:
    """Fold a header cell to a comparable token: NFKC, no whitespace, lower case."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


_SPELLINGS: dict[str, dict[str, str]] = {
    kind.name: {header_token(s): c.name for c in kind.columns for s in c.spellings} for kind in KINDS.values()
}


def map_header(kind: Kind, header: list[object]) -> dict[int, str]:
    """Column position → canonical column name, for the cells this kind knows."""
    spellings = _SPELLINGS[kind.name]
    mapping: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = spellings.get(header_token(cell))
        if name and name not in mapping.values():
            mapping[position] = name
    return mapping


EITHER = {
    INDICATOR_VALUES.name: (("unit_code", "unit_name"), ("indicator_code", "indicator_name")),
    TARGETS.name: (("indicator_code", "indicator_name"),),
}
"""Columns of which a kind needs one or the other: a unit by its code or its name."""


def missing_columns(kind: Kind, names: set[str]) -> list[str]:
    """The required columns of `kind` that a header of the columns `names` lacks, by their Chinese headers."""
    labels = {c.name: c.label for c in kind.columns}
    missing = [c.label for c in kind.columns if c.required and c.name not in names]
    for either in EITHER.get(kind.name, ()):
        if not names.intersection(either):
            missing.append("或".join(labels[name] for name in either))
    return missing


def detect_kind(header: list[object]) -> tuple[Kind, dict[int, str]] | None:
    """The kind a header row belongs to, with its column mapping; None if no kind fits."""
    found = _detect_kind(tuple(header))
    return None if found is None else (found[0], dict(found[1]))


@lru_cache(maxsize=1024)  # thousands of files share a few header rows
def _detect_kind(header: tuple[object, ...]) -> tuple[Kind, dict[int, str]] | None:
    best: tuple[int, Kind, dict[int, str]] | None = None
    for kind in KINDS.values():
        mapping = map_header(kind, header)
        if not missing_columns(kind, set(mapping.values())) and (best is None or len(mapping) > best[0]):
            best = (len(mapping), kind, mapping)
    return None if best is None else (best[1], best[2])


def nearest_kind(header: list[object]) -> tuple[Kind, int, list[str]] | None:
    """The kind a header that fits none comes closest to: the one that knows the most of its columns (at least
    two), then misses the fewest required ones; with how many it knows and which required columns are missing."""
    best: tuple[tuple[int, int], Kind, list[str]] | None = None
    for kind in KINDS.values():
        names = set(map_header(kind, header).values())
        missing = missing_columns(kind, names)
        rank = (len(names), -len(missing))
        if len(names) >= 2 and (best is None or rank > best[0]):
            best = (rank, kind, missing)
    return None if best is None else (best[1], best[0][0], best[2])


def kind_label(kind: str | None) -> str:
    """The Chinese name of a submission kind (指标数据, 项目进度 …); a name that is not a kind, as it is."""
    return KINDS[kind].label if kind in KINDS else (kind or "")
