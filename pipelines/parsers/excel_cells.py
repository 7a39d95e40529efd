"""What Excel leaves in cells besides values: error values (#REF! …) and formulas it never calculated.

An error cell is read as its literal (`#REF!`), so that the row is rejected with the reason
`单元格为 Excel 错误值：#REF!` (pipelines/parsers/numbers.py) rather than as an empty cell. A formula without a
cached result (a workbook written by a program, never opened and saved in Excel) has no value to read:
such a workbook is refused whole, with the first such cell named.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from pathlib import Path

import pyarrow as pa

ERROR_LITERALS = {
    "Ref": "#REF!",
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Value": "#VALUE!",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "GettingData": "#GETTING_DATA",
}
"""calamine's names of Excel's error values → the literal Excel shows."""
_CALAMINE_ERROR = re.compile(r"Error\((\w+)\)")


def error_rows(rows: list[list[str]], errors) -> list[list[str]]:
    """`rows` (a sheet read as text, errors as empty cells) with each error cell of fastexcel's `errors` filled
    with its literal."""
    for error in errors.errors if errors else ():
        row, column = error.offset_position
        found = _CALAMINE_ERROR.search(error.detail)
        if row < len(rows) and column < len(rows[row]):
            rows[row][column] = ERROR_LITERALS.get(found[1], f"#{found[1].upper()}!") if found else "#错误!"
    return rows


def table_rows(table: pa.RecordBatch | pa.Table) -> list[list[str]]:
    """A sheet's rows as lists of text, empty cells as ''."""
    import pyarrow.compute as pc

    columns = [pc.fill_null(column, "").to_pylist() for column in table.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def first_uncalculated(path: Path) -> str | None:
    """Where the workbook's first formula without a cached result is (工作表「X」D3：=1/0), if any."""
    import openpyxl

    with path.open("rb") as formula_file, path.open("rb") as value_file:  # a landed copy has no .xlsx suffix
        formulas = openpyxl.load_workbook(formula_file, read_only=True, data_only=False)
        values = openpyxl.load_workbook(value_file, read_only=True, data_only=True)
        return _first_uncalculated(formulas, values)


def _first_uncalculated(formulas, values) -> str | None:
    try:
        for name in formulas.sheetnames:
            rows = zip_longest(formulas[name].iter_rows(), values[name].iter_rows(values_only=True), fillvalue=())
            for formula_row, value_row in rows:
                for cell, value in zip_longest(formula_row, value_row):
                    text = getattr(cell, "value", None)
                    if isinstance(text, str) and text.startswith("=") and value is None:
                        return f"工作表「{name}」{cell.coordinate}：{text}"
        return None
    finally:
        formulas.close()
        values.close()
