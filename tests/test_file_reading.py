"""Reading submission files (docs/submissions.md §2): encodings, header spellings, sheets, row numbers,
unreadable files."""

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from mubiao.foundation.kinds import KINDS
from mubiao.pipelines.parsers.file_reading import UnreadableFile, decode, read_submission
from mubiao.pipelines.parsers.sheets import sheets_table

FIXTURES = Path(__file__).parent / "fixtures"

IV_COLUMNS = [
    "unit_code",
    "unit_name",
    "indicator_code",
    "indicator_name",
    "period",
    "value",
    "measure",
    "yoy_pct",
    "note",
]


def read_one(name: str) -> tuple[str, str | None, list[dict]]:
    """(kind, sheet, rows) of a fixture that holds exactly one matching sheet."""
    sheets = read_submission(FIXTURES / name)
    assert len(sheets) == 1
    sheet = sheets[0]
    return sheet.kind.name, sheet.sheet, sheets_table([sheet]).to_pylist()


def cells(rows: list[dict], *columns: str) -> list[tuple]:
    return [tuple(row[c] for c in columns) for row in rows]


def raw(row: dict) -> dict:
    return json.loads(row["raw"])


# --- every readable CSV: kind, no sheet name, table layout --------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("utf8.csv", "indicator_values", 3),
        ("utf8_bom.csv", "units", 3),
        ("gbk.csv", "indicator_values", 2),
        ("gb18030.csv", "indicator_values", 2),
        ("english_headers.csv", "indicator_values", 2),
        ("messy_headers.csv", "indicator_values", 2),
    ],
)
def test_csv_kind_and_layout(name, kind, count):
    sheets = read_submission(FIXTURES / name)
    assert [(s.kind.name, s.sheet) for s in sheets] == [(kind, None)]
    table = sheets_table([sheets[0]])
    assert table.column_names == ["row_number", *KINDS[kind].column_names, "raw"]
    assert table.schema.field("row_number").type == pa.int32()
    assert all(table.schema.field(c).type == pa.string() for c in table.column_names[1:])
    assert table.num_rows == count


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_line"),
    [
        ("utf8.csv", "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长,备注"),
        ("utf8_bom.csv", "单位代码,单位名称,单位类型"),
        ("gbk.csv", "填报单位,指标名称,统计期,本期累计值,计量单位,同比增长（%）,备注"),
        ("gb18030.csv", "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长,备注"),
    ],
)
def test_decode_tells_the_encoding_from_the_bytes(name, first_line):
    assert decode((FIXTURES / name).read_bytes()).splitlines()[0] == first_line


def test_gbk_fixture_is_really_gbk():
    data = (FIXTURES / "gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "苏家作乡" in data.decode("gbk")


def test_gb18030_fixture_is_beyond_gbk():
    data = (FIXTURES / "gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")


def test_utf8():
    kind, _, rows = read_one("utf8.csv")
    assert kind == "indicator_values"
    assert cells(rows, *IV_COLUMNS) == [
        ("TJJ", None, "GDP", None, "2017年1-6月", "60.12", "亿元", "9.1", "上半年生产总值"),
        ("WCJD", None, "GDZCTZ", None, "2017-06", "1,234.5", "万元", "-2.5", "文昌街道报送"),
        ("SJZX", None, "GDZCTZ", None, "2017年上半年", "876", "万元", None, None),
    ]


def test_blank_line_is_skipped_but_keeps_the_numbering():
    _, _, rows = read_one("utf8.csv")
    assert [row["row_number"] for row in rows] == [1, 3, 4]


def test_utf8_with_bom_loses_the_bom():
    kind, _, rows = read_one("utf8_bom.csv")
    assert kind == "units"
    assert cells(rows, "row_number", "unit_code", "unit_name", "unit_type") == [
        (1, "TJJ", "统计局", "区直部门"),
        (2, "WCJD", "文昌街道", "乡镇街道"),
        (3, "GTFJ", "国土分局", "驻区机构"),
    ]
    assert list(raw(rows[0])) == ["单位代码", "单位名称", "单位类型"]


def test_gbk_with_units_and_indicators_by_name():
    kind, _, rows = read_one("gbk.csv")
    assert kind == "indicator_values"
    assert cells(rows, "row_number", *IV_COLUMNS) == [
        (1, None, "统计局", None, "生产总值", "2017年上半年", "60.12", "亿元", "9.1", None),
        (2, None, "苏家作乡", None, "固定资产投资", "2017年1-6月", "12,345", "万元", "15.3", "含省重点项目"),
    ]
    assert raw(rows[1]) == {
        "填报单位": "苏家作乡",
        "指标名称": "固定资产投资",
        "统计期": "2017年1-6月",
        "本期累计值": "12,345",
        "计量单位": "万元",
        "同比增长（%）": "15.3",
        "备注": "含省重点项目",
    }


def test_gb18030_characters_outside_gbk():
    _, _, rows = read_one("gb18030.csv")
    assert cells(rows, "row_number", "unit_code", "value", "note") == [
        (1, "TJJ", "60.12", "联系人刘䶮"),
        (2, "WCJD", "2.5", "𠀀字村项目"),
    ]
    assert raw(rows[1])["备注"] == "𠀀字村项目"


# --- header spellings ---------------------------------------------------------------------------


def test_english_headers():
    _, _, rows = read_one("english_headers.csv")
    assert cells(rows, "row_number", *IV_COLUMNS) == [
        (1, "TJJ", None, "GDP", None, "2017-06", "60.12", "亿元", "9.1", "first half"),
        (2, "WCJD", None, "GDZCTZ", None, "2017H1", "1,234.5", "万元", "-2.5", None),
    ]
    assert raw(rows[0]) == {
        "unit_code": "TJJ",
        "indicator_code": "GDP",
        "period": "2017-06",
        "value": "60.12",
        "measure": "亿元",
        "yoy_pct": "9.1",
        "note": "first half",
    }


def test_messy_headers_map_to_their_columns():
    _, _, rows = read_one("messy_headers.csv")
    assert cells(rows, "row_number", *IV_COLUMNS) == [
        (1, "TJJ", None, "GDP", None, "2017-06", "60.12", "亿元", "9.1", "半角"),
        (2, "WCJD", None, "GDZCTZ", None, "2017-06", "2.5", "亿元", "12", "全角"),
    ]


def test_messy_headers_kept_as_sent_in_raw_without_surrounding_spaces():
    _, _, rows = read_one("messy_headers.csv")
    assert list(raw(rows[0])) == [
        "Ｕｎｉｔ＿Ｃｏｄｅ",
        "指标代码",
        "统计期",
        "本期累计值",
        "计量单位",
        "同比增长（％）",
        "备注",
    ]


# --- Excel --------------------------------------------------------------------------------------


def test_title_row_above_the_header():
    kind, sheet, rows = read_one("title_row.xlsx")
    assert (kind, sheet) == ("indicator_values", "6月报表")
    assert cells(rows, "row_number", "unit_code", "indicator_code", "value", "measure", "yoy_pct") == [
        (1, "TJJ", "GDP", "60.12", "亿元", "9.1"),
        (3, "WCJD", "GDZCTZ", "1234.5", "万元", "-2.5"),
        (4, "SJZX", "GDZCTZ", "876", "万元", None),
    ]


def test_title_row_is_not_in_raw():
    _, _, rows = read_one("title_row.xlsx")
    assert list(raw(rows[0])) == ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"]


def test_excel_date_serial_in_period_becomes_iso_date():
    _, _, rows = read_one("title_row.xlsx")
    assert rows[0]["period"] == "2017-06-30"
    assert raw(rows[0])["统计期"] == "42916"


def test_excel_period_text_stays_as_written():
    _, _, rows = read_one("title_row.xlsx")
    assert rows[2]["period"] == "2017年1-6月"


def test_excel_date_formatted_period_becomes_iso_date():
    _, _, rows = read_one("title_row.xlsx")
    assert rows[1]["period"] == "2017-06-30"


def test_multi_sheet_reads_every_matching_sheet_and_skips_the_rest():
    sheets = read_submission(FIXTURES / "multi_sheet.xlsx")
    assert [(s.kind.name, s.sheet) for s in sheets] == [
        ("indicator_values", "指标数据"),
        ("project_progress", "项目进度"),
    ]


def test_multi_sheet_indicator_values():
    values = sheets_table([read_submission(FIXTURES / "multi_sheet.xlsx")[0]]).to_pylist()
    assert cells(values, "row_number", "unit_code", "indicator_code", "period", "value", "yoy_pct", "note") == [
        (1, "TJJ", "GDP", "2017年6月", "60.12", "9.1", None),
        (2, "FGW", "GDZCTZ", "2017年6月", "45.6", "20.3", "发改委"),
    ]


def test_multi_sheet_project_progress():
    progress = sheets_table([read_submission(FIXTURES / "multi_sheet.xlsx")[1]])
    assert progress.column_names == ["row_number", *KINDS["project_progress"].column_names, "raw"]
    rows = progress.to_pylist()
    assert cells(
        rows, "row_number", "project_code", "period", "completed_ytd", "measure", "status", "start_date", "note"
    ) == [
        (1, "XM2017-001", "2017-06", "3.2", "亿元", "已开工", "2017-03-01", None),
        (2, "XM2017-002", "2017-06", "0", "亿元", "未开工", None, "前期手续办理中"),
    ]
    assert raw(rows[0])["实际开工日期"] == "42795"


# --- the name a file was sent under -------------------------------------------------------------


def test_format_is_told_by_the_name_it_was_sent_under(tmp_path):
    landed = tmp_path / "0001"
    shutil.copyfile(FIXTURES / "gbk.csv", landed)
    sheets = read_submission(landed, file_name="6月指标.CSV")
    assert sheets[0].kind.name == "indicator_values"
    assert sheets_table([sheets[0]]).column("unit_name").to_pylist() == ["统计局", "苏家作乡"]


# --- what cannot be read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("empty.csv", "文件为空"),
        ("junk.csv", "二进制"),
        ("broken.xlsx", "压缩包损坏"),
        ("no_kind.csv", "表头缺少指标数据的必需列：统计期（第 1 行"),
    ],
)
def test_unreadable_files(name, phrase):
    with pytest.raises(UnreadableFile) as caught:
        read_submission(FIXTURES / name)
    message = str(caught.value)
    assert phrase in message
    assert "\n" not in message
    assert re.search(r"[\u4e00-\u9fff]", message)


def test_a_header_that_fits_no_kind_names_the_columns_it_lacks(tmp_path):
    """A header over two rows, as a merged cell leaves it: the row nearest to a kind's header, and what it lacks."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "月报"
    sheet.append(["2017年6月 指标数据"])
    sheet.append(["单位名称", "指标名称", "统计期", "本期", None])
    sheet.append([None, None, None, "累计值", "计量单位"])
    sheet.append(["统计局", "生产总值", "2017-06", "60.1", "亿元"])
    sheet.merge_cells("A1:E1")
    book.save(tmp_path / "merged.xlsx")
    with pytest.raises(UnreadableFile) as caught:
        read_submission(tmp_path / "merged.xlsx")
    assert str(caught.value) == (
        "表头缺少指标数据的必需列：本期累计值、计量单位（工作表「月报」第 2 行；表头须写在一行内，不要合并单元格）"
    )
    (tmp_path / "bare.csv").write_text(
        "单位,指标,统计期,本期累计值,计量单位\nU1,GDP,2017-06,60.1,亿元\n", encoding="utf-8"
    )
    with pytest.raises(UnreadableFile, match="表头缺少指标数据的必需列：单位代码或单位名称、指标代码或指标名称"):
        read_submission(tmp_path / "bare.csv")


def test_unsupported_file_type(tmp_path):
    scanned = tmp_path / "6月指标.pdf"
    shutil.copyfile(FIXTURES / "junk.csv", scanned)
    with pytest.raises(UnreadableFile, match="不支持的文件类型：.pdf（应为 CSV、XLSX、XLS、XLSB 或 ODS）"):
        read_submission(scanned)


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods"])
def test_a_broken_workbook_says_which_format_it_claims(tmp_path, suffix):
    broken = (tmp_path / "6月指标").with_suffix(suffix)
    shutil.copyfile(FIXTURES / "junk.csv", broken)
    with pytest.raises(UnreadableFile, match=f"^{suffix[1:].upper()} |^不是有效的 {suffix[1:].upper()} 文件"):
        read_submission(broken)
