"""Measures and their conversions (docs/submissions.md §2.8), and numbers written with 万 or 亿 in them (§2.10).

A measure belongs to one family; values convert only within a family. Factors
are exact fractions (1 亩 = 10000/15 平方米), so 公顷 → 亩 is exactly 15 and
decimal inputs convert without binary noise (1243000 万元 → 124.3 亿元).
"""

import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from mubiao.pipelines.parsers.numbers import NumberError, normalise_text, parse_number

_MU = Fraction(10000, 15)
_FAMILIES: dict[str, dict[str, Fraction]] = {
    "money": {"元": Fraction(1), "万元": Fraction(10**4), "亿元": Fraction(10**8)},
    "foreign_money": {"美元": Fraction(1), "万美元": Fraction(10**4), "亿美元": Fraction(10**8)},
    "people": {"人": Fraction(1), "万人": Fraction(10**4)},
    "area": {
        "平方米": Fraction(1),
        "万平方米": Fraction(10**4),
        "亩": _MU,
        "公顷": 15 * _MU,
        "平方公里": Fraction(10**6),
    },
    "length": {"米": Fraction(1), "公里": Fraction(1000)},
    "mass": {"吨": Fraction(1), "万吨": Fraction(10**4)},
    "percent": {"%": Fraction(1)},
    **{f"count:{word}": {word: Fraction(1)} for word in "个家件项所台辆"},
}
_FACTOR = {measure: factor for family in _FAMILIES.values() for measure, factor in family.items()}
_FAMILY = {measure: name for name, family in _FAMILIES.items() for measure in family}
_ALIASES = {"千米": "公里", "km": "公里", "平方千米": "平方公里", "百分比": "%"}
_BRACKETED = re.compile(r"\((.*)\)|\[(.*)\]|【(.*)】|〔(.*)〕")

WHOLE_NUMBER_MEASURES: tuple[str, ...] = (
    "人",
    *(word for name, family in _FAMILIES.items() if name.startswith("count:") for word in family),
)
"""Measures of things counted one by one (people, firms, projects …): a value in them is a whole number."""
SPELLINGS: frozenset[str] = frozenset(_FACTOR) | frozenset(_ALIASES)
"""Every spelling normalise_measure accepts bare (lower case), for building phrase patterns."""


class MeasureError(ValueError):
    """A measure that is unknown, or cannot be converted to the one wanted."""


MAGNITUDES = {"万": Fraction(10**4), "亿": Fraction(10**8)}
"""The words of magnitude a Chinese table writes after a number: 12.3万 is 123,000."""


def parse_quantity(value: str | int | float | None, measure: str | None) -> float | None:
    """A submitted number in its row's measure; a trailing 万 or 亿 multiplies it (12.3万 元 is 123,000 元).

    Where the measure carries a magnitude of its own (万元, 亿元, 万人 …), 12.3万 could be 12.3 of it written twice
    or 123,000 of it: that is refused, never guessed.
    """
    text = normalise_text(value) if isinstance(value, str) else ""
    if not text or text[-1] not in MAGNITUDES:
        return parse_number(value)
    try:
        number = parse_number(text[:-1])
    except NumberError:
        number = None
    if number is None:
        raise NumberError(f"数值无法识别：'{value.strip()}'")
    canonical = normalise_measure(measure)
    if canonical and canonical[0] in MAGNITUDES and canonical[1:] in _FACTOR:
        raise NumberError(
            f"'{value.strip()}'带“{text[-1]}”，计量单位{canonical}又带“{canonical[0]}”，无法确定数值"
            f"（只填数字，或把计量单位改为{canonical[1:]}）"
        )
    return float(Fraction(repr(number)) * MAGNITUDES[text[-1]])


@lru_cache(maxsize=4096)
def normalise_measure(text: str | None) -> str | None:
    """Canonical measure for `text` ('（万元）' → '万元', '千米' → '公里'), None if not a known measure."""
    if text is None:
        return None
    token = normalise_text(text)
    while match := _BRACKETED.fullmatch(token):
        token = next(group for group in match.groups() if group is not None)
    token = _ALIASES.get(token.lower(), token)
    return token if token in _FACTOR else None


def measure_family(measure: str) -> str | None:
    """Family of a measure ('money', 'area', 'count:个', ...), None if not a known measure."""
    canonical = normalise_measure(measure)
    return None if canonical is None else _FAMILY[canonical]


def conversion_factor(from_measure: str, to_measure: str) -> Decimal:
    """Factor f with value_in_to = value_in_from × f; exact where the ratio is a finite decimal."""
    ratio = _ratio(from_measure, to_measure)
    return Decimal(ratio.numerator) / Decimal(ratio.denominator)


def convert(value: float, from_measure: str, to_measure: str) -> float:
    """Convert a value, rounding once: the decimal the float prints as, times the exact ratio."""
    ratio = _ratio(from_measure, to_measure)
    if not math.isfinite(value):
        return value * float(ratio)
    return float(Fraction(repr(float(value))) * ratio)


def _ratio(from_measure: str, to_measure: str) -> Fraction:
    source, target = _canonical(from_measure), _canonical(to_measure)
    if _FAMILY[source] != _FAMILY[target]:
        raise MeasureError(f"计量单位无法换算：{source}→{target}")
    return _FACTOR[source] / _FACTOR[target]


def _canonical(measure: str) -> str:
    if not measure or not measure.strip():
        raise MeasureError("计量单位为空")
    canonical = normalise_measure(measure)
    if canonical is None:
        raise MeasureError(f"计量单位无法识别：'{measure}'")
    return canonical
