"""How the bench's zone is written: CSV in a given encoding, or XLSX with chosen columns as numbers, the same
bytes every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter


def csv_bytes(header: list[str], rows: list[list], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def _number_or_text(cell: str) -> float | str:
    try:
        return float(cell)
    except ValueError:
        return cell


def _write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list]]], numeric: set[int]) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2017, 1, 1)})  # same bytes every time
    for name, header, rows in sheets:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if cell == "" or cell is None:
                    continue
                value = _number_or_text(cell) if c in numeric else cell
                if isinstance(value, float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()


def write_file(
    root: Path, name: str, fmt: str, header: list[str], rows: list[list], numeric: set[int] = frozenset()
) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        _write_xlsx(path, [("Sheet1", header, rows)], numeric)
    else:
        path.write_bytes(csv_bytes(header, rows, fmt))
