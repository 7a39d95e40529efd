"""Numbers as reporting units type them (CONTRACT 2.3, 2.10: "a number does not parse").

Text is NFKC-normalised and stripped of whitespace, so full-width digits, signs
and ％ are accepted; thousands separators must form valid groups of three.
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
        text = text.replace("\u2212", "-").removesuffix("%")
        if not _NUMBER.fullmatch(text):
            raise NumberError(f"数值无法识别：'{value.strip()}'")
        result = float(text.replace(",", ""))
    if not math.isfinite(result):
        raise NumberError(f"数值无法识别：'{str(value).strip()}'")
    return result
