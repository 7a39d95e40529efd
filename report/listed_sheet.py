"""A worksheet written from whole rows, straight into its XML when the workbook closes.

xlsxwriter keeps a tuple per cell and writes each cell's XML through a chain of calls: 数据质量 lists every file of
audit.files, 336,000 cells at M, and took about 1.5 s so. The same XML written row by row here, each cell's text
part made once when the row is listed, takes well under half of that; the workbook's bytes are the same as xlsxwriter
writes them cell by cell (tests/test_listed_sheet.py), its shared strings and formats numbered in the same order.

Rows can also be written ahead as XML of their own (`written_rows`), text inline as xlsxwriter's constant_memory
mode writes it, and added as they are: the pack keeps those of the files already listed (report/workbook.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

Cell = tuple[object, Format | None]
"""A value and its format, written as report/safe_cells.write_cell writes them: numbers as numbers, None as a blank
(kept only with a format), anything else as text, never a formula."""

_MAX_UTF16 = 32767  # Excel's longest text; xlsxwriter cuts a longer one there too
_SPAN_ROWS = 16  # xlsxwriter gives each block of 16 rows the span of its columns
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class ListedSheet(Worksheet):
    """A sheet whose cells are all given at once by `list_rows`, header row included; pass the class to
    `Workbook.add_worksheet`. Columns, panes, filters and conditional formats are set as on any worksheet."""

    def __init__(self) -> None:
        super().__init__()
        self.listed: list[list[tuple[int, str, Format | None]]] = []
        self.written: list[str] = []
        self.added = 0

    def list_rows(self, rows: list[list[Cell]]) -> None:
        """The sheet's rows from its first, each a list of cells from column A: text goes to the workbook's shared
        strings now, in the order xlsxwriter would number it."""
        shared = self.str_table._get_shared_string_index

        def text(string: str) -> str:
            return f' t="s"><v>{shared(string)}</v></c>'

        for cells in rows:
            kept = [(c, body, fmt) for c, (value, fmt) in enumerate(cells) if (body := _body(value, fmt, text))]
            self.listed.append(kept)
        filled = [r for r, kept in enumerate(self.listed) if kept]
        if filled:  # the extent that writing each cell would have given the sheet
            columns = [c for kept in self.listed for c, _, _ in kept]
            self._check_dimensions(filled[0], min(columns))
            self._check_dimensions(filled[-1], max(columns))

    def add_written(self, xml: str, rows: int, columns: int) -> None:
        """`rows` rows of `columns` cells made by `written_rows`, after every row listed or added so far."""
        self.written.append(xml)
        self.added += rows
        self._check_dimensions(len(self.listed) + self.added - 1, columns - 1)

    def _write_sheet_data(self) -> None:
        if self.dim_rowmin is None:  # no cell kept
            super()._write_sheet_data()
            return
        letters = [xl_col_to_name(c) for c in range(self.dim_colmax + 1)]
        styles: dict[int, str] = {}  # id(format) → its s attribute, numbered on first use as xlsxwriter does
        write = self.fh.write
        write("<sheetData>")
        for start in range(0, len(self.listed), _SPAN_ROWS):
            block = self.listed[start : start + _SPAN_ROWS]
            used = [c for kept in block for c, _, _ in kept]
            span = f' spans="{min(used) + 1}:{max(used) + 1}"' if used else ""
            for r, kept in enumerate(block, start=start + 1):
                if not kept:
                    continue
                xml = [f'<row r="{r}"{span}>']
                for c, body, fmt in kept:
                    style = styles.get(id(fmt))
                    if style is None:
                        style = styles[id(fmt)] = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
                    xml.append(f'<c r="{letters[c]}{r}"{style}{body}')
                xml.append("</row>")
                write("".join(xml))
        for xml in self.written:
            write(xml)
        write("</sheetData>")


def written_rows(rows: list[list[Cell]], first: int) -> str:
    """`rows` as a sheet's XML from row `first` (0-based): text inline, each format by the index it has now. It holds
    in any workbook whose formats are numbered alike, and can be kept and added again rather than made."""
    letters = [xl_col_to_name(c) for c in range(max(map(len, rows), default=0))]
    xml = []
    for r, cells in enumerate(rows, start=first + 1):
        xml.append(f'<row r="{r}">')
        for c, (value, fmt) in enumerate(cells):
            body = _body(value, fmt, _inline)
            if body is not None:
                style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
                xml.append(f'<c r="{letters[c]}{r}"{style}{body}')
        xml.append("</row>")
    return "".join(xml)


def _inline(text: str) -> str:
    """A text cell's body with the text itself: control characters as Excel's _xHHHH_, then XML's three."""
    preserve = ""
    if _NEEDS_CARE.search(text):
        text = Worksheet._escape_control_characters(text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    return f' t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


def _body(value: object, fmt: Format | None, text: Callable[[str], str]) -> str | None:
    """What follows a cell's reference and style, by the value's type; None for a blank without a format."""
    if value is None:
        return "/>" if fmt is not None else None
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise TypeError("NAN/INF not supported in a worksheet")  # as xlsxwriter's write_number
        return f"><v>{value:.16G}</v></c>"
    string = str(value)
    if len(string) > _MAX_UTF16 // 2:
        string = string.encode("utf-16-le")[: 2 * _MAX_UTF16].decode("utf-16-le", errors="ignore")
    return text(string)
