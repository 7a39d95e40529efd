"""The data dictionary: every table, view and column of a built warehouse described, and `mubiao tables`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from rich.cells import cell_len

from mubiao.foundation.vocabulary import DOMAINS
from mubiao.warehouse.dictionary import VIEW, DictionaryError, model_block, read_blocks
from mubiao.warehouse.lineage import references
from mubiao.warehouse.model_files import model_inputs, read_models
from mubiao.warehouse.rounded import SHOWN_DIGITS, rounded_name
from tests.conftest import INBOX, query

DESCRIBED = ("staging", "core", "marts", "audit", "params")
UNDESCRIBED = """
    select schema_name || '.' || table_name as name from duckdb_tables()
    where schema_name in ('staging', 'core', 'marts', 'audit', 'params') and coalesce(comment, '') = ''
    union all
    select schema_name || '.' || view_name from duckdb_views()
    where schema_name in ('staging', 'core', 'marts', 'audit', 'params') and coalesce(comment, '') = ''
    union all
    select schema_name || '.' || table_name || '.' || column_name from duckdb_columns()
    where schema_name in ('staging', 'core', 'marts', 'audit', 'params') and coalesce(comment, '') = ''
"""


def relations(warehouse: Path) -> set[str]:
    return {
        r["name"]
        for r in query(
            warehouse,
            """
        select schema_name || '.' || table_name as name from duckdb_tables() where schema_name in ? union all
        select schema_name || '.' || view_name from duckdb_views() where schema_name in ?""",
            DESCRIBED,
            DESCRIBED,
        )
    }


def test_every_table_view_and_column_is_described(default_pack):
    warehouse, _ = default_pack
    assert query(warehouse, UNDESCRIBED) == []
    assert {model.name for model in read_models() if model.kind != VIEW} | {
        "audit.files",
        "params.settings",
        "core.zone_indicator_values",
        "staging.units",
    } <= relations(warehouse)


def test_each_model_s_grain_names_one_row(default_pack):
    warehouse, _ = default_pack
    for model in read_models():
        grain = ", ".join(model.described.header.grain)
        twice = f"select {grain} from {model.name} group by all having count(*) > 1 limit 1"
        assert query(warehouse, twice) == [], model.name


def test_a_rebuilt_and_republished_warehouse_keeps_its_comments(run, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    run(inbox)
    (inbox / "values-2018.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\nU1,GDP,2018-12,130,亿元,4.6\n", encoding="utf-8"
    )
    warehouse = run(inbox)
    assert query(warehouse, "select count(*) as n from audit.builds") == [{"n": 2}]
    assert query(warehouse, UNDESCRIBED) == []


def test_each_status_code_is_explained(default_pack):
    warehouse, _ = default_pack
    comments = {
        r["name"]: r["comment"]
        for r in query(
            warehouse,
            """
        select table_name as name, comment from duckdb_columns()
        where schema_name = 'marts' and column_name = 'status'""",
        )
    }
    for table, domain in (("target_completion", "target_status"), ("submission_status", "submission_status")):
        for code, label in DOMAINS[domain].items():
            assert f"{code} {label}" in comments[table], (table, code)


def test_a_comment_says_the_unit_of_measure(default_pack):
    warehouse, _ = default_pack
    [row] = query(
        warehouse,
        """select comment from duckdb_columns()
        where schema_name = 'marts' and table_name = 'project_investment_by_category' and column_name = 'annual_plan'""",
    )
    assert "亿元" in row["comment"] and "未取整" in row["comment"]


@pytest.mark.parametrize(
    "sql, message",
    [
        ("-- @table marts.x 说明\n-- @colum y 说明\n", "line 2"),
        ("-- @column y 说明\n", "before any @table"),
        ("-- @table marts.x 说明\n-- @column y 甲\n-- @column y 乙\n", "described twice"),
        ("-- @table marts.x\n", "line 1"),
        ("-- @model kind=table grain=a\n", "before any @table"),
        ("-- @table marts.x 说明\n-- @model kind=table grain=a\n-- @model kind=view grain=a\n", "second @model"),
        ("-- @table marts.x 说明\n-- @model kind=tabel grain=a\n", "kind is one of"),
        ("-- @table marts.x 说明\n-- @model kind=table\n", "grain is names"),
        ("-- @table marts.x 说明\n-- @model kind=table grain=a colour=red\n", "unknown colour"),
        ("-- @table marts.x 说明\n-- @model kind=table grain=a rounded=no\n", "rounded is true"),
        ("-- @table marts.x 说明\n-- @model kind=table grain=a kind=view\n", "line 2: expected"),
        ("-- @table marts.x 说明\n-- @model kind=table grain=a parameters=params.x;drop\n", "parameters is"),
    ],
)
def test_a_malformed_block_is_refused(sql, message):
    with pytest.raises(DictionaryError, match=message):
        read_blocks(sql)


def test_a_model_file_describes_its_own_model_only():
    sql = "-- @table marts.x 甲\n-- @column a 列\nselect 1 as a"
    assert model_block(sql, "marts.x").columns == {"a": "列"}
    with pytest.raises(DictionaryError, match="marts.y"):
        model_block(sql, "marts.y")


def test_lineage_is_what_the_parser_sees_not_what_comments_say():
    sql = """-- reads core.mentioned in a comment
        with final as (select * from core.read_here join (select * from staging.inner_one) using (a))
        select * from final where a in (select a from audit.files)"""
    with duckdb.connect() as con:
        assert references(con, sql) == {"core.read_here", "staging.inner_one", "audit.files"}


def test_every_model_reads_only_what_the_warehouse_holds(default_pack):
    warehouse, _ = default_pack
    inputs = model_inputs()
    assert inputs["marts.target_completion"] >= {
        "core.targets",
        "core.indicators",
        "core.zone_indicator_values",
        "core.indicator_months",
    }
    assert set().union(*inputs.values()) <= relations(warehouse)


# --- mubiao tables -----------------------------------------------------------------------------------


def test_tables_lists_every_table_with_its_comment_and_row_count(default_pack, mubiao_process, tmp_path):
    warehouse, _ = default_pack
    out = mubiao_process("tables", "--warehouse", str(warehouse), cwd=tmp_path).stdout
    assert "表名" in out and "行数" in out and "说明" in out
    lines = {
        line.split("│")[1].strip(): line
        for line in out.splitlines()
        if line.startswith("│ ") and line.split("│")[1].strip()
    }
    counted = query(warehouse, "select count(*) as n from marts.submission_status")[0]["n"]
    assert set(lines) == relations(warehouse)
    row = [cell.strip() for cell in lines["marts.submission_status"].split("│")]
    assert row[2:4] == ["表", f"{counted:,}"] and row[4].startswith("报送情况：一行一个")
    assert [cell.strip() for cell in lines["core.project_month_states"].split("│")][2] == "视图"


def test_tables_fits_an_80_column_terminal_with_each_description_readable(default_pack, tmp_path):
    warehouse, _ = default_pack
    env = dict(os.environ, COLUMNS="80", NO_COLOR="1")
    for name in (None, "marts.submission_status"):
        out = subprocess.run(
            [str(Path(sys.executable).with_name("mubiao")), "tables", *([name] if name else []), "-w", str(warehouse)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert max(map(cell_len, out.splitlines())) <= 80
        flowing = "".join(line.strip() for line in out.splitlines()).replace(" ", "")
        described = query(
            warehouse,
            """select comment from duckdb_columns() where schema_name = 'marts' and table_name = 'submission_status'"""
            if name
            else "select comment from duckdb_tables() where schema_name in ('marts', 'audit')",
        )
        for row in described:
            assert row["comment"].replace(" ", "") in flowing, row["comment"]


def test_tables_shows_a_tables_columns_types_and_comments(default_pack, mubiao_process, tmp_path):
    warehouse, _ = default_pack
    out = mubiao_process("tables", "marts.target_completion", "--warehouse", str(warehouse), cwd=tmp_path).stdout
    columns = query(
        warehouse,
        """select column_name, data_type, comment from duckdb_columns()
        where schema_name = 'marts' and table_name = 'target_completion' order by column_index""",
    )
    rows = [
        [cell.strip() for cell in line.split("│")[1:4]]
        for line in out.splitlines()
        if line.startswith("│ ") and line.split("│")[1].strip()
    ]
    assert [row[:2] for row in rows] == [[c["column_name"], c["data_type"]] for c in columns]
    assert rows[0][2] == "目标年度"
    assert "目标完成情况：" in out


def test_a_misspelt_table_gets_a_suggestion(default_pack, mubiao_process, tmp_path):
    warehouse, _ = default_pack
    done = mubiao_process("tables", "target_completon", "--warehouse", str(warehouse), cwd=tmp_path, expect=1)
    assert done.stderr.strip() == (
        "错误：仓库中没有表 target_completon，是否要找 marts.target_completion？（mubiao tables 列出所有表）"
    )


def test_sql_help_points_to_tables(mubiao):
    assert "mubiao tables" in mubiao("sql", "--help").output


def test_each_mart_with_figures_has_a_rounded_view_as_the_pack_shows_it(default_pack):
    warehouse, _ = default_pack
    for model in read_models():
        schema, name = model.name.split(".")
        if schema != "marts":
            continue
        mart = model.name
        floating = [
            r["column_name"]
            for r in query(
                warehouse,
                """select column_name from duckdb_columns()
            where schema_name = 'marts' and table_name = ? and data_type = 'DOUBLE'""",
                name,
            )
        ]
        assert bool(floating) == model.described.header.rounded, name
        if not floating:
            assert f"marts.{name}_rounded" not in relations(warehouse)
            continue
        digits = {c: SHOWN_DIGITS.get(c, 2) for c in floating}
        exact = ", ".join(f"round({c}, {d}) as {c}" for c, d in digits.items()) or "1"
        shown = ", ".join(f"{c}::double as {c}" for c in digits) or "1"
        assert query(warehouse, f"select {exact} from {mart} except all select {shown} from {rounded_name(mart)}") == []
        assert query(warehouse, f"select count(*) as n from {rounded_name(mart)}") == query(
            warehouse, f"select count(*) as n from {mart}"
        )
    [row] = query(
        warehouse,
        """select completed_ytd::varchar as done, completion_pct::varchar as pct
        from marts.project_investment_by_category_rounded where year = 2017 and as_of_month = 9 and category = '工业'""",
    )
    assert row == {"done": "21.50", "pct": "82.7"}
