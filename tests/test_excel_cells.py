"""Excel's error values and uncalculated formulas get reasons of their own, in XLSX and in CSV saved from Excel."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mubiao.pipelines.parsers.numbers import NumberError, parse_number
from tests.conftest import query
from tests.test_receipts import REFERENCE

HEADER = ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位"]
ERRORS = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]


def workbook(cells: list[str], formula_without_value: bool = False) -> bytes:
    """A workbook of one row per cell in `cells` (本期累计值 of month 1, 2 …); an `#…` cell is an Excel error
    value cached from a formula, as Excel saves it."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for number in range(len(cells)):
        book.active.append(["U1", "GDP", f"{2000 + number // 12}-{number % 12 + 1:02d}", f"@{number}", "亿元"])
    if formula_without_value:
        book.active.append(["U1", "GDP", "2099-01", "=1+1", "亿元"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    for number, cell in enumerate(cells):
        value = f"<f>A1/0</f><v>{cell}</v>" if cell.startswith("#") else f"<v>{cell}</v>"
        kind = ' t="e"' if cell.startswith("#") else ""
        sheet = re.sub(rf'(<c r="D\d+") t="inlineStr"><is><t>@{number}</t></is></c>', rf"\1{kind}>{value}</c>", sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else source.read(name))
    return out.getvalue()


def _inbox(tmp_path: Path, files: dict[str, bytes]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in REFERENCE.items():
        (inbox / name).write_text(text, encoding="utf-8")
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return inbox


def test_each_excel_error_value_is_the_rows_reason(run, tmp_path: Path) -> None:
    cells = ["5", *ERRORS, "7.5"] + ["#REF!"] * 250  # more rows than GX lists of a failing expectation
    warehouse = run(_inbox(tmp_path, {"月报.xlsx": workbook(cells)}))
    reasons = [r["reasons"] for r in query(warehouse, "select reasons from audit.quarantine order by row_number")]
    assert reasons[: len(ERRORS)] == [f"本期累计值：单元格为 Excel 错误值：{error}" for error in ERRORS]
    assert len(reasons) == len(ERRORS) + 250 and set(reasons[len(ERRORS) :]) == {
        "本期累计值：单元格为 Excel 错误值：#REF!"
    }
    assert query(warehouse, "select value from core.indicator_values order by month") == [
        {"value": 5.0},
        {"value": 7.5},
    ]


def test_a_formula_without_a_calculated_value_refuses_the_workbook_with_its_cell(run, tmp_path: Path) -> None:
    warehouse = run(_inbox(tmp_path, {"程序生成.xlsx": workbook(["5"], formula_without_value=True)}))
    [row] = query(warehouse, "select status, error from audit.files where file_name = '程序生成.xlsx'")
    assert row == {
        "status": "unreadable",
        "error": "单元格为公式但没有计算结果（工作表「Sheet」D3：=1+1），请在 Excel 中打开、保存后重新报送",
    }


def test_a_csv_saved_from_excel_keeps_its_error_values_and_says_so(run, tmp_path: Path) -> None:
    csv = ",".join(HEADER) + "\nU1,GDP,2017-01,#DIV/0!,亿元\nU1,GDP,2017-02,3,亿元\n"
    warehouse = run(_inbox(tmp_path, {"月报.csv": csv.encode("gbk")}))
    assert query(warehouse, "select reasons from audit.quarantine") == [
        {"reasons": "本期累计值：单元格为 Excel 错误值：#DIV/0!"}
    ]


@pytest.mark.parametrize("error", ERRORS + ["#n/a", " #REF! "])
def test_parse_number_names_the_excel_error(error: str) -> None:
    with pytest.raises(NumberError, match=f"^单元格为 Excel 错误值：{re.escape(error.strip().upper())}$"):
        parse_number(error)
