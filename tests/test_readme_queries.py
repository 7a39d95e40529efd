"""The README's analyst questions run as written on the bundled zone, through the read-only door."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mubiao.cli.sql_door import run_query

README = Path(__file__).parents[1] / "README.md"


def readme_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_readme_asks_three_questions():
    assert len(readme_queries()) == 3


@pytest.fixture(scope="module")
def answers(default_pack) -> list[list[dict]]:
    warehouse, _ = default_pack
    results = [run_query(warehouse, sql) for sql in readme_queries()]
    return [[dict(zip(r.columns, row, strict=True)) for row in r.rows] for r in results]


def test_targets_behind(answers):
    behind = answers[0]
    assert behind and {row["status"] for row in behind} <= {"behind", "not_met"}
    assert "城镇新增就业" in {row["indicator_name"] for row in behind}


def test_units_late_most_often(answers):
    late = answers[1]
    assert late and late == sorted(late, key=lambda r: (-r["times_late"], -r["times_short"], r["unit_name"]))


def test_investment_by_category(answers):
    categories = [row["category"] for row in answers[2]]
    assert categories == ["工业", "服务业", "城建", "社会事业", "农林水", "前期"]
