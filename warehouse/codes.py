"""The reference tables written from foundation/vocabulary.py, which the models join instead of naming its values:
core.code_labels (codes and their Chinese), core.kind_labels, core.project_statuses and core.unit_types."""

from __future__ import annotations

import duckdb

from mubiao.foundation.kinds import KINDS
from mubiao.foundation.vocabulary import DOMAINS, PROJECT_STATUSES, UNIT_TYPES


def write_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the reference tables (made by schema.sql): core.code_labels with (domain, code, label, position) for
    every mapping of the vocabulary, in its order; core.project_statuses and core.unit_types with their rules."""
    _refill(
        con,
        "core.code_labels",
        [
            (domain, code, label, position)
            for domain, codes in DOMAINS.items()
            for position, (code, label) in enumerate(codes.items(), 1)
        ],
    )
    _refill(
        con, "core.kind_labels", [(kind.name, kind.label, position) for position, kind in enumerate(KINDS.values(), 1)]
    )
    _refill(
        con,
        "core.project_statuses",
        [(status, position, *stage) for position, (status, stage) in enumerate(PROJECT_STATUSES.items(), 1)],
    )
    _refill(
        con,
        "core.unit_types",
        [(unit_type, position, sums) for position, (unit_type, sums) in enumerate(UNIT_TYPES.items(), 1)],
    )


def _refill(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    con.execute(f"delete from {table}")
    con.executemany(f"insert into {table} values ({', '.join('?' * len(rows[0]))})", rows)
