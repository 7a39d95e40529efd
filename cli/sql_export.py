"""Query results written out whole, a batch at a time: CSV and XLSX that open in Excel and WPS, and JSON.

CSV is UTF-8 with a byte-order mark (Excel and WPS take a CSV without one for the system's ANSI code page
and show the Chinese garbled), or GB18030 (`gbk`), a superset of GBK, for older tools. Every text cell is
neutralised as report/safe_cells.py says; XLSX is written through its safe options, numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from enum import StrEnum
from itertools import count, islice
from typing import BinaryIO

from mubiao.report.safe_cells import WORKBOOK_OPTIONS, neutralise_row, write_cell

XLSX_ROWS = 1_048_575
"""Data rows on one worksheet below its header; more go on to the next sheet."""


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Encoding(StrEnum):
    utf8 = "utf-8"
    gbk = "gbk"

    @property
    def codec(self) -> str:
        return "utf-8-sig" if self is Encoding.utf8 else "gb18030"


def write_csv(columns: list[str], rows: Iterable[tuple], sink: BinaryIO, encoding: Encoding) -> None:
    text = io.TextIOWrapper(sink, encoding=encoding.codec, newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(neutralise_row(columns))
    writer.writerows(map(neutralise_row, rows))
    text.flush()
    text.detach()


def write_json(columns: list[str], rows: Iterable[tuple], sink: BinaryIO) -> None:
    """A JSON list of objects, one per line, written as the rows come."""
    text = io.TextIOWrapper(sink, encoding="utf-8", write_through=True)
    text.write("[")
    for number, row in enumerate(rows):
        text.write(",\n " if number else "\n ")
        text.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str))
    text.write("\n]\n")
    text.flush()
    text.detach()


def write_xlsx(columns: list[str], rows: Iterable[tuple], sink: BinaryIO) -> None:
    """A workbook of values only (no formulas), on sheets 查询结果, 查询结果2 … of XLSX_ROWS rows each."""
    import xlsxwriter

    book = xlsxwriter.Workbook(sink, {**WORKBOOK_OPTIONS, "constant_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#F6F8FA", "bottom": 1})
    rows = iter(rows)
    for number in count(1):
        ws = book.add_worksheet("查询结果" if number == 1 else f"查询结果{number}")
        ws.freeze_panes(1, 0)
        for c, name in enumerate(columns):
            ws.write_string(0, c, name, header)
        written = 0
        for written, row in enumerate(islice(rows, XLSX_ROWS), start=1):
            for c, value in enumerate(row):
                write_cell(ws, written, c, value)
        if written < XLSX_ROWS:
            break
    book.close()
