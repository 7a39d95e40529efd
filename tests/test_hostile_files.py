"""Hostile and broken files (issue 7): one run over the whole corpus and a good file beside it.

Every file ends `unreadable` with a one-line Chinese reason, or `loaded` with its bad rows
quarantined; the good file loads as if alone; the big ones (100 MB line, 100,000 columns,
zip bombs, too many rows) are made here at run time and refused without being read whole.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mubiao.cli.main import app
from mubiao.pipelines.parsers.file_reading import UnreadableFile, read_submission
from mubiao.pipelines.parsers.limits import Limits
from mubiao.pipelines.parsers.sheets import sheets_table
from tests.conftest import FIXTURES, query

HOSTILE = FIXTURES / "hostile"
HEAD = "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长,备注\n"
REFERENCE = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\n",
    "catalogue.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n"
    "RATE,城镇化率,%,reported,U1\n",
}
GOOD = HEAD + "U1,GDP,2018-03,30.5,亿元,8.1,一季度\nU1,GDP,2018-06,61.2,亿元,8.3,上半年\n"

UNREADABLE = {
    # committed under tests/fixtures/hostile/
    "empty.csv": "文件为空",
    "header_only.csv": "只有表头，没有数据行",
    "whitespace_rows.csv": "文件只有空白",
    "binary_junk.csv": "不是文本文件",
    "nul_bytes.csv": "不是文本文件（含二进制内容）",
    "utf16.csv": "UTF-16",
    "mixed_encodings.csv": "混用了多种编码",
    "bom_gbk.csv": "内容却不是 UTF-8",
    "unbalanced_quotes.csv": "引号不成对",
    "missing_columns.csv": "表头缺少指标数据的必需列：本期累计值",
    "no_header.xlsx": "表头不符合任何报送类型",
    "truncated.xlsx": "压缩包损坏",
    "csv_named.xlsx": "改了扩展名的 CSV",
    "xlsx_named.csv": "内容却是 XLSX",
    "legacy.xls": "XLS 无法读取",
    "xml_bomb.xlsx": "XML 炸弹",
    "zip_bomb_declared.xlsx": "解压后超过 256 MB 的上限（MUBIAO_MAX_UNPACKED_MB）",
    # made at run time
    "long_line.csv": "第 2 行超过 1,024 KB 的上限（MUBIAO_MAX_LINE_KB）",
    "wide.csv": "有 100,000 列，超过 1,000 列的上限（MUBIAO_MAX_COLUMNS）",
    "too_big.csv": "超过 100 MB 的上限（MUBIAO_MAX_FILE_MB）",
    "zip_bomb.xlsx": "解压后超过 256 MB 的上限",
    "lying_zip_bomb.xlsx": "压缩包损坏",
    "too_many_rows.csv": "超过 200,000 行的上限（MUBIAO_MAX_ROWS）",
    "long_cell.csv": "第 2 行有单元格超过 32,767 字的上限（MUBIAO_MAX_CELL_CHARS）",
}

LOADED = {  # file → (rows loaded, rows quarantined)
    "good.csv": (2, 0),
    "formulas.csv": (1, 2),
    "formulas.xlsx": (2, 0),
    "merged_header.xlsx": (1, 0),
    "extra_columns.csv": (1, 0),
    "duplicate_columns.csv": (1, 0),
    "ragged_rows.csv": (1, 1),
    "bad_numbers.csv": (1, 7),
    "bad_dates.csv": (0, 5),
}

QUARANTINED = {  # (file, row) → a fragment of its reasons
    ("formulas.csv", 1): "数值无法识别：'=1+1'",
    ("formulas.csv", 3): "数值无法识别：'@SUM(A1)'",
    ("ragged_rows.csv", 1): "本期累计值为空",
    ("bad_numbers.csv", 1): "数值无法识别：'1,2,3'",
    ("bad_numbers.csv", 2): "数值无法识别：'1e309'",
    ("bad_numbers.csv", 3): "数值无法识别：'NaN'",
    ("bad_numbers.csv", 4): "数值无法识别：'∞'",
    ("bad_numbers.csv", 5): "本期累计值不能为负：-5",
    ("bad_numbers.csv", 6): "数值无法识别：'inf'",
    ("bad_numbers.csv", 7): "数值无法识别：'1.2.3'",
    ("bad_dates.csv", 1): "统计期无效：月份13超出1–12",
    ("bad_dates.csv", 2): "统计期无效：月份0超出1–12",
    ("bad_dates.csv", 3): "统计期无效：月份13超出1–12",
    ("bad_dates.csv", 4): "统计期无效：年份1999超出2000–2100",
    ("bad_dates.csv", 5): "统计期无法识别：'明年'",
}


def _zip_bomb(path: Path, unpacked_mb: int, declared: int | None = None) -> None:
    """An XLSX whose sheet unpacks to `unpacked_mb` MB from about 2 MB; `declared` makes its headers lie."""
    row = b'<row><c t="inlineStr"><is><t>U1</t></is></c><c><v>1</v></c></row>' * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(unpacked_mb * 2**20 // len(row)):
                sheet.write(row)
    if declared is not None:
        data = bytearray(path.read_bytes())
        info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
        data[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", declared)
        central = data.rfind(b"PK\x01\x02")
        data[central + 24 : central + 28] = struct.pack("<I", declared)
        path.write_bytes(bytes(data))


def make_big_files(folder: Path) -> None:
    """The hostile files too big to commit, written at run time."""
    with (folder / "long_line.csv").open("wb") as out:
        out.write(HEAD.encode())
        out.write(b"U1,GDP,2017-06," + b"9" * 100_000_000 + b",\xe4\xba\xbf\xe5\x85\x83,,\n")
    (folder / "wide.csv").write_text(
        ",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n", encoding="utf-8"
    )
    with (folder / "too_big.csv").open("wb") as out:
        out.truncate(101 * 2**20)
    _zip_bomb(folder / "zip_bomb.xlsx", 300)
    _zip_bomb(folder / "lying_zip_bomb.xlsx", 300, declared=1024)
    (folder / "too_many_rows.csv").write_text(HEAD + "U1,GDP,2017-06,1,亿元,,\n" * 200_011, encoding="utf-8")
    (folder / "long_cell.csv").write_text(HEAD + "U1,GDP,2017-06,1,亿元,," + "长" * 40_000 + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("hostile-inbox")
    for name, text in REFERENCE.items():
        (inbox / name).write_text(text, encoding="utf-8")
    for path in HOSTILE.iterdir():
        shutil.copyfile(path, inbox / path.name)
    make_big_files(inbox)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    return inbox


@pytest.fixture(scope="module")
def warehouse(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("hostile-wh") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


@pytest.fixture(scope="module")
def files(warehouse: Path) -> dict[str, dict]:
    return {r["file_name"]: r for r in query(warehouse, "select * from audit.files")}


def test_the_corpus_is_at_least_25_malformed_files(inbox):
    malformed = set(UNREADABLE) | set(LOADED) - {"good.csv"} | {"zero_bytes.xlsx"}
    assert len(malformed) >= 25
    assert {p.name for p in inbox.iterdir()} == malformed | {"good.csv"} | set(REFERENCE)


@pytest.mark.parametrize(("name", "phrase"), UNREADABLE.items())
def test_an_unreadable_file_is_recorded_with_a_one_line_chinese_reason(files, name, phrase):
    record = files[name]
    assert (record["status"], record["rows_total"], record["rows_loaded"]) == ("unreadable", 0, 0)
    assert phrase in record["error"]
    assert "\n" not in record["error"] and re.search(r"[\u4e00-\u9fff]", record["error"])


def test_a_zero_byte_xlsx_is_empty_and_the_same_content_as_the_empty_csv(files):
    with pytest.raises(UnreadableFile, match="文件为空"):
        read_submission(HOSTILE / "zero_bytes.xlsx")
    assert (files["zero_bytes.xlsx"]["status"], files["zero_bytes.xlsx"]["sha256"]) == (
        "duplicate",
        files["empty.csv"]["sha256"],
    )


@pytest.mark.parametrize(("name", "counts"), LOADED.items())
def test_a_loaded_file_has_its_bad_rows_quarantined(files, name, counts):
    record = files[name]
    assert record["status"] == "loaded" and record["error"] is None
    assert (record["rows_loaded"], record["rows_quarantined"]) == counts
    assert record["rows_total"] == sum(counts)


@pytest.mark.parametrize(("where", "phrase"), QUARANTINED.items(), ids=[f"{f}:{r}" for f, r in QUARANTINED])
def test_each_bad_row_carries_its_reason(warehouse, where, phrase):
    [row] = query(
        warehouse,
        """
        select q.reasons from audit.quarantine q join audit.files f using (sha256)
        where f.file_name = ? and q.row_number = ?""",
        *where,
    )
    assert phrase in row["reasons"]


def test_the_good_file_loads_as_if_alone(warehouse):
    rows = query(
        warehouse,
        """
        select month, value, yoy_pct, note from core.indicator_values
        where file_name = 'good.csv' and is_latest order by month""",
    )
    assert rows == [
        {"month": 3, "value": 30.5, "yoy_pct": 8.1, "note": "一季度"},
        {"month": 6, "value": 61.2, "yoy_pct": 8.3, "note": "上半年"},
    ]


def test_full_width_minus_is_a_number_and_a_rate_may_be_negative(warehouse):
    [row] = query(warehouse, "select value from core.indicator_values where indicator_code = 'RATE'")
    assert row["value"] == -5


def test_formula_text_is_kept_as_text(warehouse):
    notes = {r["note"] for r in query(warehouse, "select note from core.indicator_values where note like '=%'")}
    assert notes == {'=HYPERLINK("http://evil")', "=cmd|' /C calc'!A0"}


def test_duplicate_and_surplus_columns_keep_every_value_in_raw(warehouse):
    [dup] = query(
        warehouse,
        "select raw from raw.indicator_values r join audit.files f using (sha256) "
        "where f.file_name = 'duplicate_columns.csv'",
    )
    assert json.loads(dup["raw"])["本期累计值(2)"] == "999"
    [ragged] = query(
        warehouse,
        "select raw from raw.indicator_values r join audit.files f using (sha256) "
        "where f.file_name = 'ragged_rows.csv' and r.row_number = 2",
    )
    assert json.loads(ragged["raw"])["列9"] == "又一列"


def test_a_gbk_line_that_happens_to_be_valid_utf8_is_not_mixed(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEAD + "U1,GDP,2017-06,60.1,元,9.1,\nU1,GDP,2017-07,70.1,亿元,9.2,统计局\n").encode("gbk"))
    assert sheets_table([read_submission(path)[0]]).column("measure").to_pylist() == ["元", "亿元"]


# --- memory stays bounded: the big files are refused without being read whole ---------------------


@pytest.mark.parametrize("name", ["long_line.csv", "too_big.csv", "zip_bomb.xlsx", "lying_zip_bomb.xlsx"])
def test_a_big_file_is_refused_in_bounded_memory(inbox, name):
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile):
            read_submission(inbox / name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MB"


def test_limits_come_from_the_environment(tmp_path):
    limits = Limits.from_env({"MUBIAO_MAX_ROWS": "1", "MUBIAO_MAX_FILE_MB": " 5 "})
    assert (limits.max_rows, limits.max_file_mb, limits.max_columns) == (1, 5, 1000)
    path = tmp_path / "two_rows.csv"
    path.write_text(HEAD + "U1,GDP,2017-06,1,亿元,,\n" * 12, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="超过 1 行的上限"):
        read_submission(path, limits=limits)
    assert len(sheets_table([read_submission(path, limits=Limits.from_env({}))[0]])) == 12


@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_a_bad_limit_setting_is_named(value):
    with pytest.raises(ValueError, match=f"MUBIAO_MAX_COLUMNS 应为正整数，现为 '{value}'"):
        Limits.from_env({"MUBIAO_MAX_COLUMNS": value})
