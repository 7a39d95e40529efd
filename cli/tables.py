"""`mubiao tables`: the data dictionary (warehouse/dictionary.py) as tables in the terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from mubiao.warehouse.dictionary import Column, Relation


def relations_table(relations: list[Relation]) -> Table:
    table = Table(title=f"仓库中的表与视图（{len(relations)} 个）", title_justify="left")
    table.add_column("表名", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("行数", justify="right", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for relation in relations:
        table.add_row(*map(Text, (relation.name, relation.kind, relation.rows_text, relation.comment)))
    return table


def columns_table(relation: Relation, columns: list[Column]) -> Table:
    table = Table(
        title=Text(f"{relation.name}（{relation.kind}，{relation.rows_text} 行）：{relation.comment}"),
        title_justify="left",
    )
    table.add_column("列名", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for column in columns:
        table.add_row(*map(Text, (column.name, column.data_type, column.comment)))
    return table
