"""Who reports an indicator, and in which months: the catalogue's 报送频率 and 填报范围.

报送频率 (frequency) names the months a value is due: 月报 (every month, the
default), 季报 (3, 6, 9, 12), 半年报 (6, 12), 年报 (12), or the months themselves
(`6-12月`, `3、6、9、12`). 填报范围 (reporting units) lists unit types and unit
codes, separated by 、 , ; / or spaces; empty means the responsible unit for a
`reported` indicator and every 乡镇街道 for a `sum` indicator.
"""

from __future__ import annotations

import re
import unicodedata

from mubiao.foundation.vocabulary import UNIT_TYPE_SPELLINGS

MONTHS = tuple(range(1, 13))
FREQUENCIES = {
    "月报": MONTHS,
    "月度": MONTHS,
    "每月": MONTHS,
    "monthly": MONTHS,
    "季报": (3, 6, 9, 12),
    "季度": (3, 6, 9, 12),
    "按季": (3, 6, 9, 12),
    "quarterly": (3, 6, 9, 12),
    "半年报": (6, 12),
    "半年": (6, 12),
    "half-yearly": (6, 12),
    "年报": (12,),
    "年度": (12,),
    "每年": (12,),
    "annual": (12,),
    "yearly": (12,),
}
_SEPARATORS = re.compile(r"[、,;/\s]+")
_DASHES = re.compile(r"[~–—〜−至到]")
_SPAN = re.compile(r"(\d{1,2})(?:月)?-(\d{1,2})月?")


class FrequencyError(ValueError):
    """A 报送频率 that names no months."""


def parse_frequency(text: str) -> tuple[int, ...]:
    """The months (1–12) in which a value is due."""
    folded = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).lower().strip()
    if folded in FREQUENCIES:
        return FREQUENCIES[folded]
    months: set[int] = set()
    for part in _SEPARATORS.split(folded.removesuffix("月")):
        span = _SPAN.fullmatch(part)
        if span:
            first, last = int(span[1]), int(span[2])
            months.update(range(first, last + 1))
        elif part.removesuffix("月").isdigit():
            months.add(int(part.removesuffix("月")))
        elif part:
            raise FrequencyError(f"报送频率无法识别：'{text}'（应为 月报、季报、半年报、年报 或月份，如 6-12月）")
    if not months or not months <= set(MONTHS):
        raise FrequencyError(f"报送频率无法识别：'{text}'（月份应在1–12之间）")
    return tuple(sorted(months))


def split_reporters(text: str) -> list[str]:
    """填报范围 tokens: unit types in their canonical spelling, unit codes in upper case."""
    tokens = [t for t in _SEPARATORS.split(unicodedata.normalize("NFKC", text)) if t]
    return [UNIT_TYPE_SPELLINGS.get(t, t.upper()) for t in tokens]
