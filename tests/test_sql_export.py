"""`mubiao sql` exports that open in Excel: a BOM or GB18030, every row into a file, workbooks of values only."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.test_sql_door import sql

ROWS = "select range as n, '第' || range || '行' as label, '=1+' || range as risky from range(2500)"


def test_csv_to_a_file_has_a_bom_and_every_row(warehouse, tmp_path: Path):
    out = tmp_path / "结果.csv"
    result = sql(warehouse, ROWS, "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel and WPS read a CSV without a BOM as the ANSI code page"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2501 and rows[1] == ["0", "第0行", "'=1+0"] and rows[-1][0] == "2499"
    assert "已写出 2,500 行" in result.stderr and not list(tmp_path.glob("*.partial"))


def test_csv_in_gbk(warehouse, tmp_path: Path):
    out = tmp_path / "结果.csv"
    sql(warehouse, "select indicator_name from marts.annual_review", "--out", str(out), "--encoding", "gbk")
    assert "生产总值" in out.read_bytes().decode("gbk")


def test_csv_to_a_pipe_is_every_row(warehouse):
    result = sql(warehouse, ROWS, "--format", "csv")
    assert len(result.stdout.splitlines()) == 2501 and "截去" not in result.stderr


def test_json_to_a_file(warehouse, tmp_path: Path):
    out = tmp_path / "结果.json"
    sql(warehouse, ROWS, "--out", str(out), "--limit", "2")
    assert json.loads(out.read_text(encoding="utf-8")) == [
        {"n": 0, "label": "第0行", "risky": "=1+0"},
        {"n": 1, "label": "第1行", "risky": "=1+1"},
    ]


def test_xlsx_holds_values_and_no_formulas(warehouse, tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    sql(warehouse, ROWS, "--out", str(out))
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "查询结果" and sheet.max_row == 2501
    assert [c.value for c in sheet[2]] == [0, "第0行", "=1+0"]
    assert {c.data_type for row in sheet.iter_rows() for c in row} <= {"n", "s"}, "no cell is a formula"


def test_xlsx_needs_a_file(warehouse):
    result = sql(warehouse, "select 1", "--format", "xlsx", expect=1)
    assert "xlsx 格式需要 --out" in result.stderr


def test_on_a_terminal_the_table_stops_at_1000_rows_and_says_so(warehouse):
    mubiao = str(Path(sys.executable).with_name("mubiao"))
    command = f"{mubiao} sql 'select range as n from range(2500)' --warehouse {warehouse}"
    shown = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown.stdout)
    assert "共 2,500 行，只显示前 1,000 行，截去 1,500 行" in text and "│ 999 │" in text and "│ 1000 │" not in text


def test_a_table_into_a_pipe_keeps_long_values_whole(warehouse):
    result = sql(warehouse, "select repeat('原因', 100) as reasons, 'sha256:' || repeat('f', 64) as file")
    assert "原因" * 100 in result.stdout and "sha256:" + "f" * 64 in result.stdout and "…" not in result.stdout
