"""A target stands on its indicator's latest complete month; a later month with part of its submissions in is
shown beside it as 未完整, never as the headline (docs/marts.md §3.5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from mubiao.cli.config import default_inbox
from tests.conftest import query

OCTOBER = {  # two of the five townships that owe the zone's sum indicators send October early
    "2017年10月_阳庙镇_月报.csv": ("2017年09月_阳庙镇_月报.csv", "gbk"),
    "2017年10月_安阳城乡_月报.csv": ("2017年09月_安阳城乡_月报.csv", None),
}


def _early_october(inbox: Path) -> None:
    for name, (september, encoding) in OCTOBER.items():
        data = (default_inbox() / september).read_bytes()
        text = data.decode(encoding or "utf-8-sig")
        text = (
            text.replace("2017年9月", "2017年10月").replace("2017-09", "2017-10").replace("2017年1-9月", "2017年1-10月")
        )
        (inbox / name).write_bytes(text.encode(encoding or "utf-8-sig"))


def test_an_early_month_is_shown_beside_the_complete_one_never_as_the_headline(mubiao_process, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(default_inbox(), inbox)
    _early_october(inbox)
    mubiao_process("run", "--inbox", "inbox", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"

    [jobs] = query(
        warehouse,
        """select as_of_month, actual_value, partial_month, partial_received, partial_owed
                                 from marts.target_completion where year = 2017 and indicator_code = 'URBAN_JOBS'""",
    )
    [september] = query(
        warehouse,
        """select value from core.zone_indicator_values
                                      where year = 2017 and month = 9 and indicator_code = 'URBAN_JOBS'""",
    )
    assert jobs == {
        "as_of_month": 9,
        "actual_value": september["value"],
        "partial_month": 10,
        "partial_received": 2,
        "partial_owed": 5,
    }
    assert query(
        warehouse,
        "select distinct as_of_month from marts.target_completion where year = 2017 and actual_value is not null",
    ) == [{"as_of_month": 9}], "every target stands on September"

    pack = tmp_path / "report" / "2017"
    bulletin = (pack / "bulletin.md").read_text(encoding="utf-8")
    assert "数据截至2017年1-9月" in bulletin and "1-10月" not in bulletin
    assert f"城镇新增就业完成{int(september['value'])}人" in bulletin and "10月未完整（已报2/5）" in bulletin
    assert "10月未完整（已报2/5）" in (pack / "report.html").read_text(encoding="utf-8")
    rows = openpyxl.load_workbook(pack / "report.xlsx")["目标完成情况"].iter_rows(values_only=True)
    header = next(rows)
    sheet = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert (sheet["URBAN_JOBS"]["截至月份"], sheet["URBAN_JOBS"]["未完整月份"]) == (9, "10月未完整（已报2/5）")


def test_the_default_zone_stands_on_its_last_month(mubiao_process, tmp_path: Path) -> None:
    mubiao_process("run", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    assert query(
        tmp_path / "warehouse.duckdb",
        "select count(*) as n from marts.target_completion where partial_month is not null",
    ) == [{"n": 0}]


def test_every_status_in_the_marts_has_its_chinese_label_beside_it(mubiao_process, tmp_path: Path) -> None:
    from mubiao.foundation.vocabulary import SUBMISSION_STATUS, TARGET_STATUS

    mubiao_process("run", "--warehouse", "warehouse.duckdb", cwd=tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    for table, labels in (("target_completion", TARGET_STATUS), ("submission_status", SUBMISSION_STATUS)):
        pairs = query(warehouse, f"select distinct status, status_label from marts.{table}")
        assert pairs and all(row["status_label"] == labels[row["status"]] for row in pairs), (table, pairs)
