"""What a run prints next, and the times a user reads: as a user types it, in a folder whose name has a space.

The hint after a run repeats the --warehouse it was given, quoted for the shell, and leads to every
quarantined row with its file, row, unit, period and whole reason; times are the zone's, dates carry the year.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

LONG_REASON = "本期累计值：数值无法识别：'" + "待核" * 60 + "'"
FILES = {
    "单位名录.csv": "单位代码,单位名称,单位类型\nB01,统计局,区直部门\nD01,东镇,乡镇街道\nD02,西镇,乡镇街道\n",
    "指标目录.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nFAI,固定资产投资,亿元,sum,B01\n",
    "2021年06月_西镇_月报.csv": "单位代码,指标代码,统计期,本期累计值,计量单位\nD02,FAI,2021-06,7,亿元\n",
    "2021年06月_东镇_月报.csv": f"单位代码,指标代码,统计期,本期累计值,计量单位\nD01,FAI,2021-06,{'待核' * 60},亿元\n",
    "收文登记.csv": "文件名,收文时间\n单位名录.csv,2021-01-04 09:00\n指标目录.csv,2021-01-04 09:10\n"
    "2021年06月_西镇_月报.csv,2021-07-09 10:00\n2021年06月_东镇_月报.csv,2021-07-02 08:30\n",
}
WAREHOUSE = "my data/warehouse.duckdb"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hints")


@pytest.fixture
def ran(office: Path, mubiao_process) -> tuple[Path, str]:
    """The office folder, and what `mubiao run` printed."""
    printed = office / "run.txt"
    if not printed.exists():
        (office / "inbox").mkdir()
        for name, text in FILES.items():
            (office / "inbox" / name).write_text(text, encoding="utf-8")
        printed.write_text(mubiao_process("run", "--inbox", "inbox", "--warehouse", WAREHOUSE, cwd=office).stdout)
    return office, printed.read_text()


def test_the_hint_repeats_the_warehouse_and_shows_each_row_whole(ran, mubiao_process):
    office, printed = ran
    (line,) = [line for line in printed.splitlines() if line.startswith("隔离的行及原因：")]
    command = shlex.split(line.removeprefix("隔离的行及原因："))
    assert command == ["mubiao", "sql", "select * from audit.quarantine_rows", "--warehouse", WAREHOUSE]
    shown = json.loads(mubiao_process(*command[1:], "--format", "json", cwd=office).stdout)
    assert shown == [
        {
            "file_name": "2021年06月_东镇_月报.csv",
            "sheet": None,
            "row_number": 1,
            "unit_code": "D01",
            "unit_name": "东镇",
            "period": "2021年6月",
            "reasons": LONG_REASON,
            "received_at": "2021-07-02 08:30:00+08:00",
        }
    ]
    table = mubiao_process(*command[1:], cwd=office).stdout
    assert LONG_REASON in table and "2021年06月_东镇_月报.csv" in table


def test_times_are_the_zones_and_dates_carry_the_year(ran, mubiao_process):
    office, _ = ran
    files = mubiao_process(
        "sql",
        "select file_name, received_at from audit.files order by seq",
        "--format",
        "csv",
        "--warehouse",
        WAREHOUSE,
        cwd=office,
    ).stdout
    assert "2021年06月_西镇_月报.csv,2021-07-09 10:00:00+08:00" in files.splitlines()
    status = mubiao_process("status", "--period", "2021-06", "--warehouse", WAREHOUSE, cwd=office).stdout
    (line,) = [line for line in status.splitlines() if "D02" in line]
    assert "迟报（截止2021年7月5日，2021年7月9日送达）" in line
