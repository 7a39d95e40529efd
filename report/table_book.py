"""Workbooks of plain tables, as a clerk reads them: a bold header row that stays in view, a filter on it, columns
as wide as their text (Chinese counted double), dates as dates, and strings written as strings, never as formulas
or links. A (value, status) cell takes that status's fill."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

from mubiao.report.safe_cells import WORKBOOK_OPTIONS

STATUS_FILLS = {
    "complete": "#C6EFCE",
    "late": "#FFEB9C",
    "partial": "#FCD5B4",
    "missing": "#FFC7CE",
    "unreadable": "#E4C1F9",
}
"""The fill of each submission status, as Excel's own good, neutral and bad styles colour them."""


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class TableBook:
    """An xlsxwriter workbook that writes strings as strings, never as formulas or links.

    Built in memory and written to `path` in one go: no temporary files elsewhere, and a disk that fails leaves
    no half-closed zip behind to fail again when collected.
    """

    def __init__(self, path: Path):
        import xlsxwriter

        self.path, self.content = path, io.BytesIO()
        self.book = xlsxwriter.Workbook(self.content, {**WORKBOOK_OPTIONS, "in_memory": True})
        self.formats = {
            "header": self.book.add_format(
                {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
            ),
            "date": self.book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
            "time": self.book.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"}),
            "text": self.book.add_format({"valign": "top", "text_wrap": True}),
            **{
                status: self.book.add_format({"bg_color": colour, "valign": "top", "text_wrap": True})
                for status, colour in STATUS_FILLS.items()
            },
        }
        self.sheets: list[TableSheet] = []

    def sheet(self, name: str, headers: list[str]) -> TableSheet:
        sheet = TableSheet(self.book.add_worksheet(name), headers, self.formats)
        self.sheets.append(sheet)
        return sheet

    def __enter__(self) -> TableBook:
        return self

    def __exit__(self, *exc) -> None:
        for sheet in self.sheets:
            sheet.finish()
        self.book.close()
        self.path.write_bytes(self.content.getvalue())


class TableSheet:
    """One sheet of a TableBook: a header row, then `row` after `row`."""

    MAX_WIDTH = 60

    def __init__(self, worksheet, headers: list[str], formats: dict):
        self.worksheet, self.formats, self.next_row = worksheet, formats, 1
        self.widths = [_display_width(h) for h in headers]
        for column, header in enumerate(headers):
            worksheet.write_string(0, column, header, formats["header"])
        worksheet.freeze_panes(1, 0)

    def row(self, values: list) -> None:
        """Write one row; a (value, status) pair gets that status's fill."""
        for column, value in enumerate(values):
            value, style = value if isinstance(value, tuple) else (value, None)
            self._write(column, value, self.formats[style] if style else None)
        self.next_row += 1

    def _write(self, column: int, value: object, style) -> None:
        sheet, row = self.worksheet, self.next_row
        if value is None or value == "":
            sheet.write_blank(row, column, None, style)
            return
        if isinstance(value, dt.datetime):
            sheet.write_datetime(row, column, value.replace(tzinfo=None), style or self.formats["time"])
            width = 16
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, column, value, style or self.formats["date"])
            width = 10
        elif isinstance(value, (int, float)):
            sheet.write_number(row, column, value, style)
            width = len(str(value))
        else:
            sheet.write_string(row, column, str(value), style or self.formats["text"])
            width = _display_width(str(value))
        self.widths[column] = max(self.widths[column], width)

    def finish(self) -> None:
        for column, width in enumerate(self.widths):
            self.worksheet.set_column(column, column, min(width + 2, self.MAX_WIDTH))
        self.worksheet.autofilter(0, 0, max(self.next_row - 1, 0), len(self.widths) - 1)
