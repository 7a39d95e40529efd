"""Which tables each model reads, found by DuckDB's own parser in the model's SQL (json_serialize_sql), and the
order that gives.

The parser sees every table a statement names, in CTEs and subqueries alike, and never a name in a comment (the
models' comments name other tables freely, which a regular expression over the text would take for inputs); a
CTE's name has no schema, so only schema-qualified names are inputs. A table named without a schema that no CTE
defines (a temporary table) and a session variable are inputs no lineage sees: `reads` reports them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

import duckdb

SESSION_FUNCTIONS = {"getvariable", "current_setting"}


@dataclass
class Reads:
    tables: set[str] = field(default_factory=set)
    """The schema.table names a statement reads."""
    hidden: set[str] = field(default_factory=set)
    """What else it reads: tables named without a schema that no CTE defines, session variables and settings."""


def reads(con: duckdb.DuckDBPyConnection, sql: str) -> Reads:
    """What a statement reads, as DuckDB parses it."""
    tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise ValueError(tree.get("error_message", "json_serialize_sql failed"))
    found, unqualified, ctes = Reads(), set(), set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                if node.get("schema_name"):
                    found.tables.add(f"{node['schema_name']}.{node['table_name']}")
                else:
                    unqualified.add(node["table_name"])
            elif node.get("function_name") in SESSION_FUNCTIONS:
                found.hidden.add(f"{node['function_name']}()")
            ctes.update(entry["key"] for entry in (node.get("cte_map") or {}).get("map", ()))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    found.hidden |= unqualified - ctes
    return found


def references(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The schema.table names a statement reads."""
    return reads(con, sql).tables


def build_order(inputs: dict[str, set[str]]) -> list[str]:
    """The names of `inputs` (name → what it reads), each after every one of them it reads; given to graphlib in
    name order, so the order is the same on every machine."""
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for name in sorted(inputs):
        sorter.add(name, *sorted(inputs[name] & inputs.keys()))
    try:
        return list(sorter.static_order())
    except CycleError as error:
        raise ValueError(f"models read each other in a circle: {' → '.join(error.args[1])}") from error


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
