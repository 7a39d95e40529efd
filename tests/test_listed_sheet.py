"""A sheet written from whole rows (report/listed_sheet.py) is the same workbook, byte for byte, as its cells written
one by one through xlsxwriter, and reads back in openpyxl as written; rows written ahead read as the same cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from mubiao.report.listed_sheet import ListedSheet, written_rows
from mubiao.report.safe_cells import WORKBOOK_OPTIONS, write_cell

TEXT = [
    "=SUM(A1:A2)",
    "+86 10",
    " leading and trailing ",
    'a & b < c > d "q"',
    "_x0041_ as written",
    "bell\x07 and tab\t",
    "line\nbreak",
    "中文文件名_月报.csv",
    "🙂" * 20_000,  # beyond Excel's 32,767 UTF-16 units: cut there
    "x" * 40_000,
    "",
]
VALUES = [*TEXT, 0, -5, 3.25, 1e20, 0.1 + 0.2, 12_345_678_901, True, False, None, Decimal("1.50"), dt.date(2017, 9, 1)]


def _book(fill) -> bytes:
    content = io.BytesIO()
    book = xlsxwriter.Workbook(content, {**WORKBOOK_OPTIONS, "in_memory": True})
    book.set_properties({"created": dt.datetime(2017, 9, 1, tzinfo=dt.UTC)})
    formats = [book.add_format({}), book.add_format({"num_format": "#,##0.00"}), book.add_format({"bold": True})]
    fill(book, formats)
    book.close()
    return content.getvalue()


def _rows(formats) -> list[list[tuple]]:
    """A header, a row per value in three formats, 20 rows with a blank without format (no cell) and a gap row."""
    header = [(f"列{c}", formats[2]) for c in range(3)]
    body = [[(value, formats[(r + c) % 3]) for c in range(3)] for r, value in enumerate(VALUES)]
    sparse = [[(None, None), (f"第{r}行", None), (r, formats[1])] for r in range(20)]
    return [header, *body, [(None, None)] * 3, *sparse]


def _one_by_one(book, formats) -> None:
    ws = book.add_worksheet("表")
    for r, row in enumerate(_rows(formats)):
        for c, (value, fmt) in enumerate(row):
            write_cell(ws, r, c, value, fmt)
    _dress(ws)


def _listed(book, formats) -> None:
    ws = book.add_worksheet("表", ListedSheet)
    ws.list_rows(_rows(formats))
    _dress(ws)


def _dress(ws) -> None:
    ws.freeze_panes(1, 0)
    ws.set_column(0, 2, 20)
    ws.autofilter(0, 0, len(VALUES), 2)


def test_a_listed_sheet_is_the_workbook_its_cells_written_one_by_one_make() -> None:
    listed = _book(_listed)
    assert listed == _book(_one_by_one)
    ws = openpyxl.load_workbook(io.BytesIO(listed))["表"]
    values = [row[0] for row in ws.iter_rows(min_row=2, max_row=len(VALUES) + 1, values_only=True)]
    assert values[0] == "=SUM(A1:A2)" and values[2] == " leading and trailing ", "text stays text, spaces kept"
    assert len(values[TEXT.index("x" * 40_000)]) == 32_767
    assert ws.cell(2, 2).number_format == "#,##0.00" and ws.cell(1, 1).font.b


def test_rows_written_ahead_read_as_the_same_cells() -> None:
    """Rows made by written_rows (text inline) and added after a listed header read back as written one by one."""

    def written(book, formats) -> None:
        ws = book.add_worksheet("表", ListedSheet)
        header, *rows = _rows(formats)
        ws.list_rows([header])
        for first in range(0, len(rows), 10):  # in blocks, as the pack keeps them
            block = rows[first : first + 10]
            ws.add_written(written_rows(block, first + 1), len(block), 3)
        _dress(ws)

    def cells(content: bytes) -> tuple[list, str]:
        ws = openpyxl.load_workbook(io.BytesIO(content))["表"]
        read = [[(c.value, c.data_type, c.number_format, c.font.b) for c in row] for row in ws.iter_rows()]
        return read, ws.dimensions

    ahead, one_by_one = cells(_book(written)), cells(_book(_one_by_one))
    quirk = 1 + VALUES.index("_x0041_ as written")  # openpyxl leaves Excel's escape _x005F_ in inline text
    assert ahead[0][quirk][0][0] == "_x005F_x0041_ as written"
    assert [row for r, row in enumerate(ahead[0]) if r != quirk] == [
        row for r, row in enumerate(one_by_one[0]) if r != quirk
    ]
    assert ahead[1] == one_by_one[1]


def test_a_listed_sheet_refuses_what_xlsxwriter_refuses() -> None:
    def listed_nan(book, formats) -> None:
        book.add_worksheet("表", ListedSheet).list_rows([[(float("nan"), formats[0])]])

    with pytest.raises(TypeError):
        _book(listed_nan)


def test_an_empty_listed_sheet_is_an_empty_sheet() -> None:
    def empty(book, formats) -> None:
        book.add_worksheet("表", ListedSheet).list_rows([[(None, None)]])

    def untouched(book, formats) -> None:
        book.add_worksheet("表")

    assert _book(empty) == _book(untouched)
