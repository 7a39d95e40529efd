"""When files were received: the inbox's receipt register (收文登记.csv), else each file's modification time."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from mubiao.pipelines.intake.receipts import read_register
from tests.conftest import query

SHANGHAI = ZoneInfo("Asia/Shanghai")
REFERENCE = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\n",
    "catalogue.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n",
}
VALUES = "单位代码,指标代码,统计期,本期累计值,计量单位\nU1,GDP,2017-03,{value},亿元\n"


def _inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in REFERENCE.items():
        (inbox / name).write_text(text, encoding="utf-8")
    return inbox


def test_register_times_order_the_files_and_are_recorded(run, tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / "a_first_by_name.csv").write_text(VALUES.format(value=31.19), encoding="utf-8")
    (inbox / "b_second_by_name.csv").write_text(VALUES.format(value=13.19), encoding="utf-8")
    # the register says b came first: a, received later, supersedes it
    (inbox / "收文登记.csv").write_text(
        "文件名,收文时间\nb_second_by_name.csv,2017-04-03 09:00\na_first_by_name.csv,2017/04/06 15:30\n"
        "units.csv,2017-01-03T08:00:00+08:00\n",
        encoding="utf-8-sig",
    )
    warehouse = run(inbox)

    files = {r["file_name"]: r for r in query(warehouse, "select file_name, received_at, seq from audit.files")}
    assert "收文登记.csv" not in files, "the register is not a submission"
    assert files["a_first_by_name.csv"]["received_at"] == dt.datetime(2017, 4, 6, 15, 30, tzinfo=SHANGHAI)
    assert files["b_second_by_name.csv"]["received_at"] == dt.datetime(2017, 4, 3, 9, 0, tzinfo=SHANGHAI)
    assert files["units.csv"]["received_at"] == dt.datetime(2017, 1, 3, 0, 0, tzinfo=dt.UTC)
    assert files["b_second_by_name.csv"]["seq"] < files["a_first_by_name.csv"]["seq"]
    [latest] = query(warehouse, "select value, file_name from core.indicator_values where is_latest")
    assert latest == {"value": 31.19, "file_name": "a_first_by_name.csv"}


def test_without_a_register_a_file_was_received_when_last_written(run, tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    path = inbox / "march.csv"
    path.write_text(VALUES.format(value=31.19), encoding="utf-8")
    written = dt.datetime(2017, 4, 4, 10, 0, tzinfo=SHANGHAI)
    os.utime(path, (written.timestamp(), written.timestamp()))
    warehouse = run(inbox)
    [row] = query(warehouse, "select received_at from audit.files where file_name = 'march.csv'")
    assert row["received_at"] == written


def test_a_register_line_that_does_not_parse_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "收文登记.csv").write_bytes(
        "文件名,收文时间\ngood.csv,2017-05-04 08:30\nbad.csv,下周一\nshort.csv\n".encode("gbk")
    )
    assert read_register(tmp_path) == {"good.csv": dt.datetime(2017, 5, 4, 8, 30, tzinfo=SHANGHAI)}


def test_a_register_without_its_columns_or_readable_text_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "收文登记.csv").write_text("名称,日期\ngood.csv,2017-05-04\n", encoding="utf-8")
    assert read_register(tmp_path) == {}
    (tmp_path / "收文登记.csv").write_bytes(b"\x00\xff\xfe" * 10)
    assert read_register(tmp_path) == {}


def test_the_due_day_is_set_per_run_and_a_change_rebuilds_the_status(mubiao, tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / "march.csv").write_text(VALUES.format(value=31.19), encoding="utf-8")
    (inbox / "收文登记.csv").write_text("文件名,收文时间\nmarch.csv,2017-04-07 09:00\n", encoding="utf-8")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    status = "select status, due_date from marts.submission_status where unit_code = 'U1'"

    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert query(warehouse, status) == [{"status": "late", "due_date": dt.date(2017, 4, 5)}]
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--due-day", "10")
    assert query(warehouse, status) == [{"status": "complete", "due_date": dt.date(2017, 4, 10)}]
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--due-day", "10")
    assert len(query(warehouse, "select * from audit.builds")) == 2, "same due day, nothing new: no rebuild"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--due-day", "40", expect=2)


def test_the_register_matches_bare_names_relative_and_full_paths(mubiao, tmp_path: Path) -> None:
    """Files in month folders, a register as clerks keep it: a bare name, a path with backslashes, a full path;
    a bare name that two files bear is reported and not applied."""
    inbox = _inbox(tmp_path)
    for month in ("2017-03", "2017-04"):
        (inbox / month).mkdir()
        (inbox / month / "统计局.csv").write_text(VALUES.replace("2017-03", month).format(value=1), encoding="utf-8")
    (inbox / "2017-04" / "补报.csv").write_text(VALUES.replace("2017-03", "2017-04").format(value=2), encoding="utf-8")
    register = inbox / "收文登记.csv"
    register.write_text(
        "文件名,收文时间\n补报.csv,2017-04-03 09:00\n2017-03\\统计局.csv,2017-04-02 10:00\n"
        "D:\\收件箱\\2017-04\\统计局.csv,2017-05-04 11:00\n统计局.csv,2017-01-01 00:00\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    done = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "收文登记中的 统计局.csv 在收件箱中不止一个文件同名" in done.output
    received = {r["file_name"]: r["received_at"] for r in query(warehouse, "select * from audit.files")}
    assert received["2017-04/补报.csv"] == dt.datetime(2017, 4, 3, 9, tzinfo=SHANGHAI)
    assert received["2017-03/统计局.csv"] == dt.datetime(2017, 4, 2, 10, tzinfo=SHANGHAI)
    assert received["2017-04/统计局.csv"] == dt.datetime(2017, 5, 4, 11, tzinfo=SHANGHAI)
    status = "select month, status from marts.submission_status where unit_code = 'U1' order by month"
    assert query(warehouse, status) == [{"month": 3, "status": "complete"}, {"month": 4, "status": "complete"}]

    register.write_text("文件名,收文时间\n2017-03/统计局.csv,2017-04-09 16:00\n", encoding="utf-8")
    done = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "收文登记有改动：1 个已收文件的收文时间按登记改正" in done.output
    [march] = query(warehouse, "select received_at from audit.files where file_name = '2017-03/统计局.csv'")
    assert march["received_at"] == dt.datetime(2017, 4, 9, 16, tzinfo=SHANGHAI)
    assert query(warehouse, status)[0] == {"month": 3, "status": "late"}, "the status follows the register"
    done = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "收件箱中没有新文件" in done.output, "applied once"
