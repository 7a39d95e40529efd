"""A workbook saved as .xls (Excel 97–2003, WPS, government templates), .xlsb or .ods reads as its .xlsx does.

The fixtures are one month's workbook in each format, written by LibreOffice but for the .xlsb, which LibreOffice
cannot write (tests/fixtures/office/README.md).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mubiao.cli.main import app
from mubiao.pipelines.parsers.file_reading import read_submission
from mubiao.pipelines.parsers.sheets import sheets_table
from tests.conftest import contents, query

WORKBOOK = Path(__file__).parent / "fixtures" / "office" / "2017年06月_一号镇_月报"
FORMATS = (".xls", ".xlsb", ".ods")
REFERENCES = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\nU2,一号镇,乡镇街道\n",
    "indicators.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\nJOBS,城镇新增就业,人,sum,U1\n",
    "projects.csv": "年度,项目编号,项目名称,项目类别,责任单位,计划总投资,年度计划投资,计量单位\n"
    "2017,P1,一号项目,工业,U2,5000,2000,万元\n",
}
RECEIVED = dt.datetime(2017, 7, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
LOADED = """
    select 'value' as kind, unit_code as code, indicator_code as item, year, month, value, measure, sheet, row_number
    from core.indicator_values
    union all
    select 'progress', project_code, status || ' ' || start_date, year, month, completed_ytd, '亿元', sheet, row_number
    from core.project_progress
    order by all"""


def read(suffix: str) -> list[tuple]:
    """Each sheet as the pipeline takes it: its kind, name, header and rows (a date cell as a date, whether the
    format hands it over as 2017-06-30 or 2017-06-30 00:00:00)."""
    return [
        (s.kind.name, s.sheet, s.header, s.mapping, sheets_table([s]).drop_columns("raw").to_pylist())
        for s in read_submission(WORKBOOK.with_suffix(suffix))
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_workbook_reads_as_its_xlsx_does(suffix):
    assert read(suffix) == read(".xlsx")


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run of the references and the workbook, in each format."""
    built = {}
    for suffix in (".xlsx", *FORMATS):
        inbox = tmp_path_factory.mktemp(f"inbox{suffix}")
        for name, text in REFERENCES.items():
            (inbox / name).write_text(text, encoding="utf-8")
        shutil.copyfile(WORKBOOK.with_suffix(suffix), inbox / WORKBOOK.with_suffix(suffix).name)
        for sent in inbox.iterdir():  # every copy received at the same moment
            os.utime(sent, (RECEIVED, RECEIVED))
        built[suffix] = inbox.parent / f"warehouse{suffix}.duckdb"
        result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(built[suffix])])
        assert result.exit_code == 0, result.output
    return built


def test_the_xlsx_loads_every_row_as_sent(warehouses):
    assert query(warehouses[".xlsx"], LOADED) == [
        {"kind": "progress", "code": "P1", "item": "已开工 2017-03-15", "year": 2017, "month": 6, "value": 0.18,
         "measure": "亿元", "sheet": "项目进度", "row_number": 1},
        {"kind": "value", "code": "U1", "item": "GDP", "year": 2017, "month": 5, "value": 50.3,
         "measure": "亿元", "sheet": "指标数据", "row_number": 4},
        {"kind": "value", "code": "U1", "item": "GDP", "year": 2017, "month": 6, "value": 60.12,
         "measure": "亿元", "sheet": "指标数据", "row_number": 3},
        {"kind": "value", "code": "U2", "item": "JOBS", "year": 2017, "month": 6, "value": 1234.0,
         "measure": "人", "sheet": "指标数据", "row_number": 1},
    ]  # fmt: skip


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_format_gives_the_rows_and_marts_of_the_xlsx(warehouses, suffix):
    assert query(warehouses[suffix], LOADED) == query(warehouses[".xlsx"], LOADED)
    [status] = query(warehouses[suffix], "select status, kind, file_name from audit.files where kind like '%values%'")
    assert status == {
        "status": "loaded",
        "kind": "indicator_values,project_progress",
        "file_name": WORKBOOK.with_suffix(suffix).name,
    }
    marts = {name: rows for name, rows in contents(warehouses[suffix]).items() if name.startswith("marts.")}
    assert marts == {name: rows for name, rows in contents(warehouses[".xlsx"]).items() if name.startswith("marts.")}
