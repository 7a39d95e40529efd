"""Target phrases as the work report writes them (docs/submissions.md §2.9).

`增长9%左右` → growth 9 ± 0.5, `3200人以上` → level 3200 人, `保持稳定` → stable,
`与经济增长同步` → sync with GDP; any other text is an assigned task that no
figure can decide. Ceilings (`下降5%以内`, `3200人以下`) and approximate
levels (`12亿元左右`) are read as assigned too: the ≥ rule would misjudge them.
"""

import re
from dataclasses import dataclass

from mubiao.foundation.vocabulary import INDICATOR_SYNONYMS
from mubiao.pipelines.parsers.measures import SPELLINGS, normalise_measure
from mubiao.pipelines.parsers.numbers import normalise_text, parse_number

_GROWTH_TOLERANCE = 0.5

_SYNC = re.compile(r"[与和](.+?)(?:增长)?(?:基本)?同步")
_GROWTH = re.compile(r"(增长|下降)(?:不低于|达到|超过)?([+-]?\d+(?:\.\d+)?)%(左右|以上)?(?!以内|以下)")
_MEASURE = "|".join(sorted(map(re.escape, SPELLINGS), key=len, reverse=True))
_LEVEL = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?({_MEASURE})(?:以上)?(?!\w)", re.IGNORECASE)
_STABLE = re.compile(r"保持(?:基本)?稳定")


@dataclass(frozen=True)
class TargetSpec:
    """One annual target: its type, and what a figure is compared with."""

    type: str
    value: float | None = None
    tolerance: float | None = None
    measure: str | None = None
    reference: str | None = None


def parse_target(text: str | None) -> TargetSpec:
    """Read a target phrase; text that names no computable rule is 'assigned'."""
    phrase = normalise_text(text or "")
    if match := _SYNC.search(phrase):
        return TargetSpec("sync", reference=INDICATOR_SYNONYMS.get(match[1], match[1]))
    if match := _GROWTH.search(phrase):
        value = float(match[2]) * (-1 if match[1] == "下降" else 1)
        tolerance = _GROWTH_TOLERANCE if match[3] == "左右" else None
        return TargetSpec("growth", value, tolerance, "%")
    if "增长" not in phrase and "下降" not in phrase and (match := _LEVEL.search(phrase)):
        value = parse_number(match[1] + (match[2] or ""))
        return TargetSpec("level", value, measure=normalise_measure(match[3]))
    if _STABLE.search(phrase):
        return TargetSpec("stable")
    return TargetSpec("assigned")
