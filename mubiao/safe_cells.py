"""Cells a spreadsheet will not run as formulas, for every CSV mubiao writes from data (issue 7, safe exports).

OWASP CSV injection: a text cell beginning with = + - @ tab or carriage return
is prefixed with a single quote. Numbers stay numbers, and so does text that
is a plain number (-5, +3.2): a spreadsheet reads those as values, not formulas.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """The value to write: text that a spreadsheet would take for a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(row: tuple | list) -> list:
    """Every cell of a row, neutralised."""
    return [neutralise(value) for value in row]
