"""A kind defined here, by its spec alone, carried by a real `mubiao run` from its header to staging: header
detection, reading, normalising by its columns' types, its GX suite (built from the spec, run by real GX), its
staging and raw tables, and the months a build rewrites. No other module names it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mubiao.expectations import load_suite
from mubiao.foundation.kinds import Kind, Staged, detect_kind, monthly_kinds, registered
from mubiao.foundation.kinds.spec import between, col, in_set, not_null, null
from mubiao.warehouse.kind_tables import staging_ddl
from tests.conftest import INBOX, query

ENERGY = Kind(
    "energy_use",
    "能耗数据",
    (
        col("unit_code", "单位代码", required=True, type="code"),
        col("period", "统计期", required=True, type="period"),
        col("electricity", "用电量", required=True, type="quantity"),
        col("measure", "计量单位", required=True, type="measure"),
        col("inspected_on", "检查日期", type="date"),
        col("note", "备注"),
    ),
    key=("unit_code", "year", "month"),
    description="能耗数据的入库行：一行一个已入库文件中的一行，即某单位某月的用电量",
    staging=(
        Staged("unit_code", "varchar not null", "单位代码"),
        Staged("year", "integer not null", "统计期的年份"),
        Staged("month", "integer not null", "统计期的月份 1–12"),
        Staged("electricity", "double not null", "本年累计用电量，单位见 measure_sent", source="electricity_num"),
        Staged("measure_sent", "varchar not null", "计量单位"),
        Staged("inspected_on", "date", "检查日期"),
        Staged("note", "varchar", "备注"),
    ),
    expectations=(
        not_null("unit_code", "单位代码已填写", "单位代码为空"),
        in_set("unit_code", "known_units", "单位已登记", "单位未登记：'{unit_code}'"),
        not_null("year", "统计期已填写且有效", "{period_error}"),
        not_null("electricity_num", "用电量已填写且为数字", "{electricity_error}"),
        between("electricity_num", "用电量不为负", "用电量不能为负：{electricity_num}", minimum=0),
        null("inspected_on_error", "检查日期可识别（可空）", "{inspected_on_error}"),
    ),
    unique=("同一文件中不重复填报", "同一文件中重复填报：{unit_code} {year}年{month}月"),
    by_month=True,
    unit_from=("unit_code",),
)

ENERGY_FILE = (
    "单位代码,统计期,用电量,计量单位,检查日期,备注\n"
    "u1 ,2017年3月,12.5万,千瓦时,2017-04-02,\n"
    "U1,2017-04,一百,千瓦时,,写错了\n"
    "U9,2017-04,3,千瓦时,,\n"
    "U1,2017-05,-1,千瓦时,,\n"
    "U1,,4,千瓦时,,\n"
    "U1,2017-06,13,千瓦时,不知道,\n"
)
"""One good row (the code as an office types it), then one wrong in each way the spec's expectations catch."""


@pytest.fixture
def energy() -> Kind:
    with registered(ENERGY) as kind:
        yield kind


def test_a_kind_is_recognised_and_described_by_its_spec_alone(energy):
    found = detect_kind(["单位代码", "统计期", "用电量", "计量单位", "备注"])
    assert found and found[0] is energy
    assert detect_kind(["单位代码", "统计期"]) is None  # 用电量 is required
    assert "energy_use" in monthly_kinds()  # its months are rebuilt as the other monthly kinds' are
    assert [e["type"] for e in load_suite("energy_use")["expectations"]][-1] == "expect_compound_columns_to_be_unique"
    assert staging_ddl(energy) == (
        "create table if not exists staging.energy_use (sha256 varchar not null, sheet varchar, "
        "row_number integer not null, unit_code varchar not null, year integer not null, month integer not null, "
        "electricity double not null, measure_sent varchar not null, inspected_on date, note varchar)"
    )


def test_a_file_of_a_new_kind_goes_from_the_inbox_to_staging(energy, run, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    (inbox / "2017年04月_统计局_能耗.csv").write_text(ENERGY_FILE, encoding="utf-8")
    warehouse = run(inbox)

    assert query(
        warehouse,
        "select kind, rows_total, rows_loaded, rows_quarantined from audit.files where kind = ?",
        "energy_use",
    ) == [{"kind": "energy_use", "rows_total": 6, "rows_loaded": 1, "rows_quarantined": 5}]
    assert query(
        warehouse,
        "select unit_code, year, month, electricity, measure_sent, inspected_on, note from staging.energy_use",
    ) == [
        {
            "unit_code": "U1",
            "year": 2017,
            "month": 3,
            "electricity": 125000.0,
            "measure_sent": "千瓦时",
            "inspected_on": dt.date(2017, 4, 2),
            "note": None,
        }
    ]
    reasons = {
        r["row_number"]: r["reasons"]
        for r in query(warehouse, "select row_number, reasons from audit.quarantine where kind = 'energy_use'")
    }
    assert reasons[2].startswith("用电量：") and reasons[3] == "单位未登记：'U9'"
    assert reasons[4] == "用电量不能为负：-1"
    assert reasons[5] == "统计期为空"
    assert reasons[6].startswith("检查日期无法识别：")
    assert query(warehouse, "select count(*) as n from raw.energy_use") == [{"n": 6}]
    checks = query(warehouse, "select count(*) as n from audit.validations where suite = 'energy_use'")
    assert checks == [{"n": len(load_suite("energy_use")["expectations"])}]
    assert query(warehouse, "select is_latest from core.energy_use") == [{"is_latest": True}]
