"""A row whose unit code is unknown goes back to the unit its file names (core.file_senders), as a user sees it.

东镇's June file is named for it but every row misspells its code as 东乡: the rows count in 东镇's status,
come back in 东镇's feedback workbook with the closest registered unit named, and are not left unattributed.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import query

FILES = {
    "单位名录.csv": "单位代码,单位名称,单位类型\nB01,统计局,区直部门\nD01,东镇,乡镇街道\nD02,西镇,乡镇街道\n",
    "指标目录.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nFAI,固定资产投资,亿元,sum,B01\nRET,社会消费品零售总额,亿元,sum,B01\n",
    "2021年06月_西镇_月报.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\nD02,FAI,2021-06,7,亿元\nD02,RET,2021-06,3,亿元\n",
    "2021年06月_东镇_月报.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\n东乡,FAI,2021-06,6,亿元\n东乡,RET,2021-06,4,亿元\n",
    "2021年06月_西镇_补报.csv": "单位名称,指标代码,统计期,本期累计值,计量单位\n西乡,FAI,2021-06,7,亿元\n",
    "2021年06月_来源不明.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\nQ99,FAI,2021-06,1,亿元\n",
}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("senders")


@pytest.fixture
def ran(office: Path, mubiao_process) -> Path:
    if not (office / "wh/warehouse.duckdb").exists():
        (office / "inbox").mkdir()
        for name, text in FILES.items():
            (office / "inbox" / name).write_text(text, encoding="utf-8")
        mubiao_process("run", "--inbox", "inbox", "--warehouse", "wh/warehouse.duckdb", cwd=office)
    return office


def test_the_file_names_its_sender(ran):
    senders = query(
        ran / "wh/warehouse.duckdb", "select file_name, unit_code from core.file_senders order by file_name"
    )
    assert senders == [
        {"file_name": "2021年06月_东镇_月报.csv", "unit_code": "D01"},
        {"file_name": "2021年06月_西镇_月报.csv", "unit_code": "D02"},
        {"file_name": "2021年06月_西镇_补报.csv", "unit_code": "D02"},
    ]


def test_misspelled_rows_count_in_the_senders_status(ran, mubiao_process):
    shown = mubiao_process("status", "--period", "2021-06", "--warehouse", "wh/warehouse.duckdb", cwd=ran).stdout
    (line,) = [line for line in shown.splitlines() if "D01" in line]
    assert "缺报2/2" in line and "隔离 2 行" in line and "未报送" not in line
    [row] = query(
        ran / "wh/warehouse.duckdb",
        """select status, rows_quarantined from marts.submission_status
                                                where unit_code = 'D01' and year = 2021 and month = 6""",
    )
    assert row == {"status": "partial", "rows_quarantined": 2}


def test_misspelled_rows_go_back_to_the_sender_with_the_closest_unit(ran, mubiao_process):
    mubiao_process("feedback", "--period", "2021-06", "--warehouse", "wh/warehouse.duckdb", "--out", "fb", cwd=ran)
    book = openpyxl.load_workbook(ran / "fb" / "2021-06_退回修改_D01_东镇.xlsx")
    rows = list(book["退回修改"].iter_rows(values_only=True))
    assert rows[0][-5:] == ("文件名", "工作表", "行号", "原因", "修改建议")
    assert [(r[0], r[1], r[-3], r[-2], r[-1]) for r in rows[1:]] == [
        ("东乡", code, number, "单位代码未登记：'东乡'", "单位代码“东乡”未能识别；最接近的已登记单位：D01 东镇")
        for number, code in ((1, "FAI"), (2, "RET"))
    ]
    notes = dict(list(book["说明"].iter_rows(values_only=True))[1:])
    assert notes["单位未能识别"] == "2 行：按所在文件归入本单位，请按“修改建议”列改正单位代码或名称"
    by_name = list(
        openpyxl.load_workbook(ran / "fb" / "2021-06_退回修改_D02_西镇.xlsx")["退回修改"].iter_rows(values_only=True)
    )
    assert [(r[-2], r[-1]) for r in by_name[1:]] == [
        ("单位名称未登记：'西乡'", "单位名称“西乡”未能识别；最接近的已登记单位：D02 西镇")
    ]
    overview = openpyxl.load_workbook(ran / "fb" / "2021-06_报送情况汇总.xlsx")
    unattributed = list(overview["无法归属"].iter_rows(values_only=True))
    assert [r[0] for r in unattributed[1:]] == ["Q99"], "a file that names no unit stays with the office"
