"""Every view tells the same truth: status, feedback, the pack and the validation pages count each unit's month as
audit.files and the marts do, on the bundled zone with a month's usual mess."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from mubiao.cli.config import default_inbox
from tests.conftest import query

SEPTEMBER = "2017年09月"
DAMAGED = f"{SEPTEMBER}_宁郭镇_月报.xlsx"
TRADE = f"{SEPTEMBER}_商务局_商贸外经.csv"
DUPLICATE = "2017年08月_安阳城乡_月报（重发）.csv"
LATE = f"{SEPTEMBER}_苏家作乡_月报.xlsx"
MISSPELT = f"{SEPTEMBER}_阳庙镇_月报.csv"
KINDS = ("indicator_values", "project_progress")


def _stamp(path: Path, moment: dt.datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def _messy_month(inbox: Path) -> None:
    """September as offices send it: a damaged workbook, a duplicate resend, a file with two bad rows and its
    correction, a file filed in a month folder and listed by its bare name in the register, a misspelt unit."""
    shutil.copytree(default_inbox(), inbox)
    damaged = inbox / DAMAGED
    damaged.write_bytes(damaged.read_bytes()[:300])
    shutil.copy2(inbox / "2017年08月_安阳城乡_月报.csv", inbox / DUPLICATE)

    good = (inbox / TRADE).read_text(encoding="utf-8-sig")
    bad = good.replace("39.36", "三十九").replace("2849", "两千")
    (inbox / TRADE).write_text(bad, encoding="utf-8-sig")
    correction = inbox / f"{SEPTEMBER}_商务局_商贸外经_更正.csv"
    correction.write_text(good, encoding="utf-8-sig")
    _stamp(inbox / TRADE, dt.datetime(2017, 10, 3, 9, tzinfo=dt.UTC))
    _stamp(correction, dt.datetime(2017, 10, 4, 9, tzinfo=dt.UTC))

    (inbox / "2017-09").mkdir()
    shutil.move(inbox / LATE, inbox / "2017-09" / LATE)
    (inbox / "收文登记.csv").write_text(f"文件名,收文时间\n{LATE},2017-10-04 16:30\n", encoding="utf-8")

    misspelt = inbox / MISSPELT
    data = misspelt.read_bytes()
    encoding = "gbk" if data[:3] != b"\xef\xbb\xbf" else "utf-8-sig"
    text = data.decode(encoding)
    misspelt.write_bytes(text.replace("\n阳庙镇,", "\n阳苗镇,", 1).encode(encoding))


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory):
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    root = tmp_path_factory.mktemp("messy")
    _messy_month(root / "inbox")
    warehouse = root / "wh" / "warehouse.duckdb"
    runner = CliRunner()
    ran = runner.invoke(app, ["run", "--inbox", str(root / "inbox"), "--warehouse", str(warehouse)])
    assert ran.exit_code == 0, ran.output
    status = runner.invoke(
        app, ["status", "--period", "2017-09", "--warehouse", str(warehouse)], env={"COLUMNS": "200"}
    )
    assert status.exit_code == 0, status.output
    for command in (["feedback", "--period", "2017-09"], ["docs"]):
        done = runner.invoke(app, [*command, "--warehouse", str(warehouse)])
        assert done.exit_code == 0, done.output
    return warehouse, ran.output, status.output


def _cells(warehouse: Path) -> dict[tuple[str, str], dict]:
    rows = query(warehouse, "select * from marts.submission_status where year = 2017 and month = 9")
    return {(r["unit_code"], r["kind"]): r for r in rows}


def test_an_unreadable_file_is_sent_but_unreadable_everywhere(messy) -> None:
    warehouse, ran, status = messy
    assert "无法读取的文件及原因：mubiao sql" in ran and "core.arrivals" in ran
    cells = _cells(warehouse)
    assert {cells[("XZ03", kind)]["status"] for kind in KINDS} == {"unreadable"}
    assert cells[("XZ03", "indicator_values")]["unreadable_files"] == [DAMAGED]
    [line] = [line for line in status.splitlines() if "宁郭镇" in line]
    assert "无法读取：" in line and "未报送" not in line
    book = _unit_workbook(warehouse, "XZ03")
    notes = dict(book["说明"].iter_rows(min_row=2, values_only=True))
    assert notes["无法读取的文件"].startswith(f"{DAMAGED}：")


def test_feedback_returns_only_rows_that_still_stand(messy) -> None:
    warehouse, _, _ = messy
    rejected = query(
        warehouse,
        "select superseded, count(*) as n from core.quarantine_rows where unit_code = 'BM04' and month = 9 group by all",
    )
    assert rejected == [{"superseded": True, "n": 2}], "the correction replaced both rejected rows"
    assert _cells(warehouse)[("BM04", "indicator_values")]["rows_quarantined"] == 0
    assert not list(_feedback_folder(warehouse).glob("*_BM04_*.xlsx")), "商务局 has nothing left to fix"


def test_every_view_counts_each_units_month_alike(messy) -> None:
    warehouse, _, status = messy
    cells = _cells(warehouse)
    units = {code for code, _ in cells}
    for code in units:
        quarantined = sum(cells[(code, kind)]["rows_quarantined"] for kind in KINDS if (code, kind) in cells)
        assert _returned(warehouse, code) == quarantined, code
    assert cells[("XZ04", "indicator_values")]["rows_quarantined"] == 1, "the misspelt unit's row goes back to 阳庙镇"
    assert cells[("XZ02", "indicator_values")]["status"] == "complete", "the register's bare name found the file"

    files = query(warehouse, "select status, count(*) as n, sum(rows_total) as rows from audit.files group by all")
    by_status = {r["status"]: r for r in files}
    index = (warehouse.parent / "gx" / "validation" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<tr class="(?:bad|ok)">', index)
    assert len(listed) == sum(r["n"] for r in files), "the index lists every arrival, the duplicate's original too"
    pack = warehouse.parent / "report" / "2017"
    footer = (pack / "report.html").read_text(encoding="utf-8").split('<footer id="quality">')[1]
    expected = (
        f"收到文件 {sum(r['n'] for r in files)} 个：已入库 {by_status['loaded']['n']}，"
        f"重复 {by_status['duplicate']['n']}，无法读取 {by_status['unreadable']['n']}"
    )
    assert expected in footer
    quality = openpyxl.load_workbook(pack / "report.xlsx")["数据质量"]
    assert quality.max_row - 1 == sum(r["n"] for r in files)


def _returned(warehouse: Path, code: str) -> int:
    """The rows of a unit's feedback workbook's 退回修改 sheet (0 without either)."""
    paths = list(_feedback_folder(warehouse).glob(f"*_退回修改_{code}_*.xlsx"))
    book = openpyxl.load_workbook(paths[0]) if paths else None
    return book["退回修改"].max_row - 1 if book and "退回修改" in book.sheetnames else 0


def _feedback_folder(warehouse: Path) -> Path:
    return warehouse.parent / "feedback" / "2017-09"


def _unit_workbook(warehouse: Path, code: str) -> openpyxl.Workbook:
    [path] = _feedback_folder(warehouse).glob(f"*_退回修改_{code}_*.xlsx")
    return openpyxl.load_workbook(path)
