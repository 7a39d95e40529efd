"""The catalogue page: every table and view, its columns and comments, its lineage and a few sample rows.

One self-contained HTML file (style and CJK font inline, no script, no network), from the comments the
warehouse carries (warehouse/dictionary.py) and the lineage its models' SQL gives (warehouse/lineage.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mubiao.foundation.whole_files import written_whole
from mubiao.foundation.zone import ZONE_NAME
from mubiao.warehouse.dictionary import SCHEMAS, Column, Relation, read_columns, read_relations
from mubiao.warehouse.lineage import upstream
from mubiao.warehouse.model_files import model_inputs
from mubiao.warehouse.published import connect_published

SAMPLE_ROWS = 5
"""Rows shown of each table."""
CELL_CHARS = 80
"""A longer sample value is cut, with … after it."""


@dataclass
class Entry:
    relation: Relation
    columns: list[Column]
    sample: list[list[str]]
    reads: list[str] = field(default_factory=list)
    """Tables and models it reads directly."""
    sources: list[str] = field(default_factory=list)
    """Stored tables it rests on, through every model between."""
    read_by: list[str] = field(default_factory=list)
    """Models that read it directly."""

    @property
    def title(self) -> str:
        """The comment's name part: 目标完成情况 of 目标完成情况：一行一个……"""
        return self.relation.comment.split("：", 1)[0]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"


def _sample(con: duckdb.DuckDBPyConnection, name: str) -> list[list[str]]:
    schema, table = name.split(".", 1)
    rows = con.execute(f'select * from "{schema}"."{table}" limit {SAMPLE_ROWS}').fetchall()
    return [[_cell(value) for value in row] for row in rows]


def read_catalogue(con: duckdb.DuckDBPyConnection) -> list[Entry]:
    """An entry for every table and view of the described schemas, in `mubiao tables` order."""
    inputs = model_inputs()
    models = set(inputs)
    entries = []
    for relation in read_relations(con):
        name = relation.name
        entries.append(
            Entry(
                relation,
                read_columns(con, relation),
                _sample(con, name),
                reads=sorted(inputs.get(name, ())),
                sources=sorted(table for table in upstream(inputs, name) if table not in models),
                read_by=sorted(model for model, read in inputs.items() if name in read),
            )
        )
    return entries


def write_catalogue(warehouse: Path, path: Path) -> Path:
    """Write the catalogue page of `warehouse` to `path`."""
    with connect_published(warehouse) as con:
        con.execute(f"set TimeZone = '{ZONE_NAME}'")  # sample times as the office reads them
        entries = read_catalogue(con)
        built_at = con.execute("select strftime(max(built_at), '%Y-%m-%d %H:%M') from audit.builds").fetchone()[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    with written_whole(path) as partial:
        partial.write_text(_render(entries, warehouse, built_at), encoding="utf-8")
    return path


def _render(entries: list[Entry], warehouse: Path, built_at: object) -> str:
    from jinja2 import Environment, PackageLoader

    from mubiao.report.fonts import font_face_css
    from mubiao.report.html import FONT_SLOT

    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=True)
    groups = [(schema, [e for e in entries if e.relation.name.startswith(f"{schema}.")]) for schema in SCHEMAS]
    page = env.get_template("catalogue.html.j2").render(
        groups=[(schema, group) for schema, group in groups if group],
        entries=entries,
        warehouse=warehouse,
        built_at=built_at,
        sample_rows=SAMPLE_ROWS,
        known={e.relation.name for e in entries},
        layers={
            "marts": "数据集市：会议材料与分析用的结果表",
            "core": "核心层：各版本的数据与由它们算出的视图（总是最新）",
            "audit": "审计：文件、校验、隔离与疑似问题的记录",
            "staging": "入库层：各类报送文件的已入库行（类型已规范）",
            "params": "参数：模型读取的构建参数（报送截止日、时区、构建重写的月份）",
        },
    )
    return page.replace(FONT_SLOT, font_face_css("".join(sorted(set(page)))), 1)
