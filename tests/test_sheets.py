"""Many sheets built into one table (pipelines/parsers/sheets.py): the same cells, raw JSON and order as sheet by sheet."""

import json
import random

import pytest

from mubiao.foundation.kinds import INDICATOR_VALUES, UNITS, detect_kind
from mubiao.pipelines.loading.run_reading import raw_table
from mubiao.pipelines.parsers.sheets import Sheet, sheets_table

ALPHABET = ["a", "7", " ", '"', "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "元", "𠀀", ":", ", ", "{", "}", "%s", '""']


def _cell(rng: random.Random) -> str:
    return "" if rng.random() < 0.2 else "".join(rng.choices(ALPHABET, k=rng.randint(1, 6)))


def _sheet(rng: random.Random, header: list[str], name: str | None) -> Sheet:
    kind, mapping = detect_kind(header)
    rows = [[_cell(rng) for _ in range(rng.randint(1, len(header)))] for _ in range(rng.randint(0, 30))]
    numbers = sorted(rng.sample(range(1, 100), len(rows)))
    return Sheet(kind, name, header, mapping, rows, numbers, excel=False)


def _expected(sheet: Sheet) -> list[dict]:
    """The row the builder must give, worked out cell by cell."""
    positions = {name: position for position, name in sheet.mapping.items()}
    expected = []
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        cells = {
            name: (row[p] or None) if (p := positions.get(name)) is not None and p < len(row) else None
            for name in sheet.kind.column_names
        }
        raw = json.dumps({key: cell or None for key, cell in zip(sheet.header, row, strict=False)}, ensure_ascii=False)
        expected.append({"row_number": number, **cells, "raw": raw})
    return expected


def test_many_sheets_with_different_headers_come_back_cell_for_cell_in_order():
    rng = random.Random(6)
    headers = [
        ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", '备\\注"', "列7"],
        ["统计期", "累计值", "计量单位", "指标名称", "填报单位", "同比增长(%)"],
        ["unit_code", "indicator_code", "period", "value", "measure", "  ", "note"],
    ]
    sheets = [_sheet(rng, rng.choice(headers), None) for _ in range(60)]
    assert len({tuple(sheet.header) for sheet in sheets}) == 3
    table = sheets_table(sheets)
    assert table.column_names == ["row_number", *INDICATOR_VALUES.column_names, "raw"]
    assert table.to_pylist() == [row for sheet in sheets for row in _expected(sheet)]
    assert [json.loads(raw) for raw in table.column("raw").to_pylist()] == [
        {key: cell or None for key, cell in zip(sheet.header, row, strict=False)}
        for sheet in sheets
        for row in sheet.rows
    ]


def test_raw_table_tells_each_row_its_file_and_sheet():
    header = ["单位代码", "单位名称", "单位类型"]
    kind, mapping = detect_kind(header)
    assert kind is UNITS
    one = Sheet(kind, "名录", header, mapping, [["A", "甲", "乡镇"], ["B", "乙", ""]], [1, 3], excel=True)
    two = Sheet(kind, None, header, mapping, [["C", "丙", "部门"]], [2], excel=False)
    table = raw_table([("sha-one", one), ("sha-two", two)])
    assert table.select(["row_number", "unit_code", "unit_type", "sha256", "sheet"]).to_pylist() == [
        {"row_number": 1, "unit_code": "A", "unit_type": "乡镇", "sha256": "sha-one", "sheet": "名录"},
        {"row_number": 3, "unit_code": "B", "unit_type": None, "sha256": "sha-one", "sheet": "名录"},
        {"row_number": 2, "unit_code": "C", "unit_type": "部门", "sha256": "sha-two", "sheet": None},
    ]


@pytest.mark.parametrize("special", ['"', "\\", "\n", "\t", "\x00", "\x1f", "\u2028", "\x7f", "元"])
def test_raw_is_json_dumps_text_whatever_one_cell_holds(special):
    header = ["单位代码", "单位名称", "单位类型"]
    kind, mapping = detect_kind(header)
    rows = [["A", "甲", "乡镇"], ["B", f"乙{special}乙", ""]]
    table = sheets_table([Sheet(kind, None, header, mapping, rows, [1, 2], excel=False)])
    assert table.column("raw").to_pylist() == [
        json.dumps({key: cell or None for key, cell in zip(header, row, strict=False)}, ensure_ascii=False)
        for row in rows
    ]
