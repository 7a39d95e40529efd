"""A submission's sheets as read, and many sheets of one kind as one Arrow table.

The readers give each sheet's rows as lists of text; the table is built for
thousands of sheets at once, a column at a time with Arrow's kernels, because
cell-by-cell Python was most of a file's reading time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, zip_longest

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mubiao.foundation.kinds import Kind

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_COLUMNS = {"period", "start_date", "planned_start"}
_NULL = pa.scalar(None, pa.string())


@dataclass
class Sheet:
    """One sheet (or CSV file) of one kind: the data rows below its header, blank rows left out."""

    kind: Kind
    sheet: str | None
    header: list[str]
    """The header as sent, unique, with a name (列N) for every position a row reaches."""
    mapping: dict[int, str]
    """Position → canonical column name."""
    rows: list[list[str]]
    """Each row's cells as text, "" where empty; a row may be shorter than the header."""
    row_numbers: list[int]
    """Each row's number below the header (1 = first line after it), counting the blank rows left out."""
    excel: bool

    @property
    def num_rows(self) -> int:
        return len(self.rows)


def sheets_table(sheets: list[Sheet]) -> pa.Table:
    """Sheets of one kind as one table: row_number, the kind's columns as text (null where empty) and raw.

    raw is each row as a JSON object keyed by its header as sent (json.dumps, Chinese written as it is).
    Sheets that share a header are built together; the rows come back in the sheets' order.
    """
    alike: dict[tuple, list[int]] = defaultdict(list)
    for index, sheet in enumerate(sheets):
        alike[tuple(sheet.header), tuple(sheet.mapping.items()), sheet.excel].append(index)
    if len(alike) < 2:
        return _run_table(sheets)
    starts = np.cumsum([0] + [sheet.num_rows for sheet in sheets])
    built = np.concatenate([np.arange(starts[i], starts[i + 1]) for indexes in alike.values() for i in indexes])
    order = np.empty_like(built)
    order[built] = np.arange(len(built))
    return pa.concat_tables([_run_table([sheets[i] for i in indexes]) for indexes in alike.values()]).take(order)


def _run_table(sheets: list[Sheet]) -> pa.Table:
    first = sheets[0]
    rows = list(chain.from_iterable(sheet.rows for sheet in sheets))
    cells = [pa.array(column, pa.string()) for column in zip_longest(*rows)]  # null past a row's end
    empty = [pc.equal(column, "") for column in cells]
    positions = {name: position for position, name in first.mapping.items()}
    columns = {}
    for name in first.kind.column_names:
        position = positions.get(name)
        if position is None or position >= len(cells):
            columns[name] = pa.nulls(len(rows), pa.string())
            continue
        values = pc.if_else(empty[position], _NULL, cells[position])
        if first.excel and name in _DATE_COLUMNS:
            values = pa.array([_excel_date(v) for v in values.to_pylist()], pa.string())
        columns[name] = values
    return pa.table(
        {
            "row_number": pa.array(list(chain.from_iterable(sheet.row_numbers for sheet in sheets)), pa.int32()),
            **columns,
            "raw": _raw_json(first.header, rows),
        }
    )


def _raw_json(header: list[str], rows: list[list[str]]) -> pa.Array:
    """Each row's cells as a JSON object keyed by the header: an empty cell is null, a cell past the row's end is
    left out."""
    objects = ({name: cell or None for name, cell in zip(header, row, strict=False)} for row in rows)
    return pa.array([json.dumps(item, ensure_ascii=False) for item in objects], pa.string())


def _excel_date(text: str | None) -> str | None:
    """Excel hands dates as day serials or as midnight datetimes; give them back as ISO dates."""
    if text and text.isdigit() and 20000 < int(text) < 80000:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(text))).isoformat()
    if text and len(text) == 19 and text.endswith(" 00:00:00"):
        return text[:10]
    return text
