"""Round trips (issue 7): generated indicator_values rows written as CSV (UTF-8, BOM, GBK) and XLSX
come back from `read_submission` cell for cell."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mubiao.pipelines.parsers.file_reading import read_submission
from mubiao.pipelines.parsers.sheets import sheets_table

COLUMNS = ["unit_code", "indicator_code", "period", "value", "measure", "yoy_pct", "note"]
HEADERS = {
    "zh": ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
    "en": COLUMNS,
}
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ASCII_CODE = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=8)

codes = st.one_of(ASCII_CODE, st.text(CHINESE, min_size=2, max_size=6))


@st.composite
def periods(draw) -> str:
    year, month = draw(st.integers(2000, 2100)), draw(st.integers(1, 12))
    forms = [
        f"{year}-{month:02d}",
        f"{year}年{month}月",
        f"{year}年1-{month}月",
        f"{year}",
        f"{year}年全年",
        f"{year}H1",
        f"{year}Q{(month + 2) // 3}",
        f"{year}年上半年",
        f"{year}年前三季度",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def numbers(draw) -> str:
    value = draw(st.decimals(-(10**9), 10**9, places=draw(st.integers(0, 4)), allow_nan=False))
    return draw(st.sampled_from([f"{value}", f"{value:,}"]))


notes = st.one_of(
    st.none(),
    st.text(st.one_of(CHINESE, st.sampled_from("abc ,;\"'（）%-=+@\n")), min_size=1, max_size=20).filter(
        lambda t: t.strip() == t and t.strip()
    ),
)
rows = st.lists(
    st.fixed_dictionaries(
        {
            "unit_code": codes,
            "indicator_code": codes,
            "period": periods(),
            "value": numbers(),
            "measure": st.sampled_from(["亿元", "万元", "元", "万美元", "人", "亩", "公顷", "%", "个", "吨"]),
            "yoy_pct": st.one_of(st.none(), numbers()),
            "note": notes,
        }
    ),
    min_size=1,
    max_size=8,
)


def _csv_bytes(header: list[str], generated: list[dict], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[row[c] or "" for c in COLUMNS] for row in generated])
    return out.getvalue().encode(encoding)


def _xlsx(path: Path, header: list[str], generated: list[dict]) -> None:
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("指标数据")
        sheet.write_row(0, 0, header)
        for r, row in enumerate(generated, start=1):
            for c, name in enumerate(COLUMNS):
                if row[name] is not None:
                    sheet.write_string(r, c, row[name])


def _read(path: Path) -> list[dict]:
    [sheet] = read_submission(path)
    assert sheet.kind.name == "indicator_values"
    return [{c: row[c] for c in COLUMNS} for row in sheets_table([sheet]).to_pylist()]


ROUND_TRIP = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(rows, st.sampled_from(["zh", "en"]), st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_csv_round_trip(generated, language, encoding):
    try:
        data = _csv_bytes(HEADERS[language], generated, encoding)
    except UnicodeEncodeError:
        data = _csv_bytes(HEADERS[language], generated, "gb18030")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        path.write_bytes(data)
        assert _read(path) == generated


@ROUND_TRIP
@given(rows, st.sampled_from(["zh", "en"]))
def test_xlsx_round_trip(generated, language):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.xlsx"
        _xlsx(path, HEADERS[language], generated)
        assert _read(path) == generated
