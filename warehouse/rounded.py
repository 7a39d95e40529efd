"""Rounded views: each mart with figures beside itself as the meeting pack shows it, `marts.<name>_rounded`.

The marts keep money and quantities unrounded, so that sums over them stay exact; an analyst who wants the
pack's figures (21.50, not 21.4992) reads the view. Its rounded columns are DECIMAL, so Excel and the shell
show the trailing zero.
"""

from __future__ import annotations

import duckdb

from mubiao.warehouse.dictionary import Described, apply_comments

SHOWN_DIGITS = {"completion_pct": 1, "time_progress_pct": 1, "seasonal_share": 4}
"""Decimals the pack shows for a column; every other floating-point column shows DEFAULT_DIGITS."""
DEFAULT_DIGITS = 2
SUFFIX = "_rounded"


def rounded_name(mart: str) -> str:
    """marts.target_completion → marts.target_completion_rounded"""
    return f"{mart}{SUFFIX}"


def create_rounded_view(con: duckdb.DuckDBPyConnection, mart: str) -> None:
    """Create (or replace) the rounded view of `mart` (schema.name), a table whose header says `rounded=true`
    (warehouse/model_files.py), and describe it from the mart's comments."""
    schema, name = mart.split(".")
    columns = con.execute(
        """
        select column_name, data_type in ('DOUBLE', 'FLOAT'), comment from duckdb_columns()
        where schema_name = ? and table_name = ? order by column_index""",
        [schema, name],
    ).fetchall()
    [(comment,)] = con.execute(
        "select comment from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
    ).fetchall()
    selected, described = [], {}
    for column, floating, text in columns:
        if floating:
            digits = SHOWN_DIGITS.get(column, DEFAULT_DIGITS)
            selected.append(f'round("{column}", {digits})::decimal(18, {digits}) as "{column}"')
            described[column] = f"{mart}.{column} 四舍五入到 {digits} 位小数，同会议材料"
        else:
            selected.append(f'"{column}"')
            described[column] = text
    view = rounded_name(mart)
    con.execute(f"create or replace view {view} as select {', '.join(selected)} from {mart}")
    title = comment.split("：", 1)[0]
    apply_comments(
        con,
        Described(
            view,
            f"{title}（取整）：{mart} 的每一行，小数按会议材料的位数四舍五入（金额与数量两位，完成率与序时进度一位）",
            described,
        ),
    )
