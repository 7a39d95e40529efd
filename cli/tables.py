"""`mubiao tables`: the data dictionary (warehouse/dictionary.py) as tables in the terminal.

The description, last, wraps within what the terminal leaves it. Where that is too narrow to read (an 80-column
terminal beside a 44-character table name), each entry becomes two lines instead: its name and facts, then its
description, indented and wrapped to the terminal's width.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from mubiao.warehouse.dictionary import Column, Relation

NARROWEST_DESCRIPTION = 30
"""Cells below which a description column reads as a column of single words."""


def relations_table(relations: list[Relation], width: int) -> RenderableType:
    return _fitted(
        Text(f"仓库中的表与视图（{len(relations)} 个）"),
        ["表名", "类型", "行数", "说明"],
        [(r.name, r.kind, r.rows_text, r.comment) for r in relations],
        width,
        right_aligned=2,
    )


def columns_table(relation: Relation, columns: list[Column], width: int) -> RenderableType:
    return _fitted(
        Text(f"{relation.name}（{relation.kind}，{relation.rows_text} 行）：{relation.comment}"),
        ["列名", "类型", "说明"],
        [(c.name, c.data_type, c.comment) for c in columns],
        width,
    )


def _fitted(
    title: Text, headings: list[str], rows: list[tuple[str, ...]], width: int, right_aligned: int | None = None
) -> RenderableType:
    """A table whose last column wraps, or a list when `width` leaves that column too narrow."""
    widths = [max(map(cell_len, column)) for column in zip(headings, *rows, strict=True)][:-1]
    borders = 3 * len(headings) + 1  # a rule and a space either side of each cell
    if width - borders - sum(widths) >= NARROWEST_DESCRIPTION:
        table = Table(title=title, title_justify="left")
        for position, heading in enumerate(headings[:-1]):
            table.add_column(heading, no_wrap=True, justify="right" if position == right_aligned else "left")
        table.add_column(headings[-1], overflow="fold")
        for row in rows:
            table.add_row(*map(Text, row))
        return table
    entries: list[RenderableType] = [title]
    for *facts, description in rows:
        entries.append(Text(""))
        labelled = (f"{heading}：{fact}" for heading, fact in zip(headings[1:], facts[1:], strict=False))
        entries.append(Text.assemble((facts[0], "bold"), "  ", "，".join(labelled)))
        entries.append(Padding(Text(description), (0, 0, 0, 2)))
    return Group(*entries)
