"""Header recognition, from the kinds' columns and spellings (docs/submissions.md §2).

A file's kind is recognised from its header row alone: the kind whose
required columns are all present, preferring the one that explains the most
columns. Headers are compared after `header_token`, so ` 单位代码 `, `单位代码　`
and `Unit_Code` all name the same column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mubiao.foundation.kinds.registry import KINDS
from mubiao.foundation.kinds.spec import Kind


def header_token(text: object) -> str:
    """Fold a header cell to a comparable token: NFKC, no whitespace, lower case."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


@lru_cache(maxsize=64)
def _spellings(kind: Kind) -> dict[str, str]:
    return {header_token(s): c.name for c in kind.columns for s in c.spellings}


def map_header(kind: Kind, header: list[object]) -> dict[int, str]:
    """Column position → canonical column name, for the cells this kind knows."""
    spellings = _spellings(kind)
    mapping: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = spellings.get(header_token(cell))
        if name and name not in mapping.values():
            mapping[position] = name
    return mapping


def missing_columns(kind: Kind, names: set[str]) -> list[str]:
    """The required columns of `kind` that a header of the columns `names` lacks, by their Chinese headers."""
    labels = {c.name: c.label for c in kind.columns}
    missing = [c.label for c in kind.columns if c.required and c.name not in names]
    for either in kind.either:
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


def forget_headers() -> None:
    """Forget the kinds found for the headers seen so far: the kinds have changed (`registered`)."""
    _detect_kind.cache_clear()


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
