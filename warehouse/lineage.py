"""Which tables each model reads, found by DuckDB's own parser in the model's SQL file (json_serialize_sql).

The parser sees every table a statement names, in CTEs and subqueries alike, and never a name in a comment;
a CTE's name has no schema, so only schema-qualified names are kept.
"""

from __future__ import annotations

import json

import duckdb

from mubiao.foundation.kinds import KINDS
from mubiao.warehouse.models import AUDIT_VIEWS, BUILT_TABLES, CORE_VIEWS, VIEWS_OVER_BUILT, model_sql
from mubiao.warehouse.rounded import ROUNDED_MARTS, rounded_name


def model_files() -> dict[str, str]:
    """schema.name → the SQL that builds it, for every model (core.<kind> from its template)."""
    versions = model_sql("core", "versions")
    models = {f"core.{kind.name}": versions.format(kind=kind.name, key=", ".join(kind.key)) for kind in KINDS.values()}
    for schema, names in (("core", CORE_VIEWS), ("audit", AUDIT_VIEWS)):
        models.update({f"{schema}.{name}": model_sql(schema, name) for name in names})
    models.update({f"{schema}.{name}": model_sql(schema, name) for schema, name in (*BUILT_TABLES, *VIEWS_OVER_BUILT)})
    return models


def references(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The schema.table names a statement reads."""
    tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise ValueError(tree.get("error_message", "json_serialize_sql failed"))
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and node.get("schema_name"):
                found.add(f"{node['schema_name']}.{node['table_name']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found


def model_inputs() -> dict[str, set[str]]:
    """schema.name → the tables and models it reads directly, for every model."""
    with duckdb.connect() as con:
        inputs = {name: references(con, sql) for name, sql in model_files().items()}
    return inputs | {rounded_name(f"marts.{name}"): {f"marts.{name}"} for name in ROUNDED_MARTS}


def upstream(inputs: dict[str, set[str]], name: str) -> set[str]:
    """Everything `name` reads, directly or through other models."""
    seen: set[str] = set()
    stack = list(inputs.get(name, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(inputs.get(current, ()))
    return seen
