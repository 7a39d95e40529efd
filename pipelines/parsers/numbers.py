"""Numbers as reporting units type them (docs/submissions.md §2.3, §2.10: "a number does not parse").

Text is NFKC-normalised and stripped of whitespace, so full-width digits, signs
and ％ are accepted; thousands separators must form valid groups of three. An
Excel error value (#REF!, #DIV/0! …) is refused as what it is.
"""

import math
import re
import unicodedata

_WHITESPACE = re.compile(r"[\s\u200b\ufeff]+")
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d+)?"
    r"|[+-]?\.\d+(?:e[+-]?\d+)?",
    re.IGNORECASE,
)


EXCEL_ERRORS = frozenset(
    [
        "#REF!",
        "#DIV/0!",
        "#N/A",
        "#VALUE!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
    ]
)
"""The error values Excel shows in a cell (and writes into a CSV saved from it)."""


class NumberError(ValueError):
    """A value that should be a number is not one."""


def normalise_text(text: str) -> str:
    """NFKC-normalise text and remove every whitespace character (U+3000 included)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_number(value: str | int | float | None) -> float | None:
    """Parse a submitted number; None for an empty cell, a percentage as its number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"数值无法识别：'{value}'")
    if isinstance(value, int | float):
        try:
            result = float(value)
        except OverflowError:
            result = math.inf
    else:
        text = normalise_text(value)
        if not text:
            return None
        if text.upper() in EXCEL_ERRORS:
            raise NumberError(f"单元格为 Excel 错误值：{text.upper()}")
        text = text.replace("\u2212", "-").removesuffix("%")
        if not _NUMBER.fullmatch(text):
            raise NumberError(f"数值无法识别：'{value.strip()}'")
        result = float(text.replace(",", ""))
    if not math.isfinite(result):
        raise NumberError(f"数值无法识别：'{str(value).strip()}'")
    return result
