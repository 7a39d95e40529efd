"""Cells a spreadsheet will not run as formulas, for every CSV and workbook mubiao writes from data.

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


WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
"""xlsxwriter options under which text is written as text: never as a formula, a link or a number."""


def write_cell(ws, row: int, col: int, value: object, fmt=None) -> None:
    """A value into an xlsxwriter worksheet by its type: numbers as numbers, anything else as text."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
