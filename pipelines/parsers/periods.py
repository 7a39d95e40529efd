"""Reporting periods (docs/submissions.md §2.7, §2.10): every form names a year and a month, cumulative from January.

`2017-06`, `2017年1-6月`, `2017年上半年`, `2017H1` all give (2017, 6); quarters give
the quarter's last month; a bare year, `2017年全年` or `2017年度` gives month 12.
Dates as Excel writes them as text (`2017-06-30 00:00:00`) give their month.
"""

import calendar
import math
import re
from functools import lru_cache

from mubiao.pipelines.parsers.numbers import normalise_text

_DASH = r"[-~–—〜−至到]"
_NUMERAL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = r"([一二两三四1-4])季度?"

_WHOLE_YEAR = re.compile(r"(\d{4})(?:年|年?全年|年度)?")
_SIX_DIGITS = re.compile(r"(\d{4})(\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_CHINESE_MONTH = re.compile(r"(\d{4})年(\d{1,2})月份?(?:(\d{1,2})日)?")
_MONTH_RANGE = re.compile(rf"(\d{{4}})年(\d{{1,2}})月?{_DASH}(\d{{1,2}})月份?")
_HALF = re.compile(r"(\d{4})(?:年?上半年|-?H1)", re.IGNORECASE)
_QUARTER_LETTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
_QUARTER_WORD = re.compile(rf"(\d{{4}})年?第?{_QUARTER}")
_QUARTERS_TO_DATE = re.compile(rf"(\d{{4}})年?(?:前|[1一]{_DASH}){_QUARTER}")


class PeriodError(ValueError):
    """A period that is empty, unrecognised or out of range."""


def parse_period(value: str | int | float | None) -> tuple[int, int]:
    """Return (year, month) for a submitted period; month is the last month of the Jan..month span."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise PeriodError("统计期为空")
    if isinstance(value, bool):
        raise PeriodError(f"统计期无法识别：'{value}'")
    if isinstance(value, float):
        value = _float_text(value)
    return _parse_text(str(value))


def _float_text(value: float) -> str:
    """Excel number cells: 201706.0 → '201706', 2017.1 (typed 2017.10) → '2017.10'."""
    if value.is_integer():
        return str(int(value))
    if round(value, 2) == value:
        return f"{value:.2f}"
    return repr(value)


@lru_cache(maxsize=65536)
def _parse_text(raw: str) -> tuple[int, int]:
    text = normalise_text(raw)
    if not text:
        raise PeriodError("统计期为空")
    if match := _WHOLE_YEAR.fullmatch(text):
        return _checked(int(match[1]), 12)
    if match := _SIX_DIGITS.fullmatch(text) or _YEAR_MONTH.fullmatch(text):
        return _checked(int(match[1]), int(match[2]))
    if match := _DATE.fullmatch(text) or _CHINESE_MONTH.fullmatch(text):
        year, month = _checked(int(match[1]), int(match[2]))
        if match[3] is not None and not 1 <= int(match[3]) <= calendar.monthrange(year, month)[1]:
            raise PeriodError(f"统计期无效：{year}年{month}月没有{int(match[3])}日")
        return year, month
    if match := _MONTH_RANGE.fullmatch(text):
        if int(match[2]) != 1:
            raise PeriodError(f"统计期须为自1月起累计：'{raw.strip()}'")
        return _checked(int(match[1]), int(match[3]))
    if match := _HALF.fullmatch(text):
        return _checked(int(match[1]), 6)
    if match := (_QUARTER_LETTER.fullmatch(text) or _QUARTER_WORD.fullmatch(text) or _QUARTERS_TO_DATE.fullmatch(text)):
        return _checked(int(match[1]), 3 * _NUMERAL[match[2]])
    raise PeriodError(f"统计期无法识别：'{raw.strip()}'")


def _checked(year: int, month: int) -> tuple[int, int]:
    if not 2000 <= year <= 2100:
        raise PeriodError(f"统计期无效：年份{year}超出2000–2100")
    if not 1 <= month <= 12:
        raise PeriodError(f"统计期无效：月份{month}超出1–12")
    return year, month
