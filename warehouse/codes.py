"""core.code_labels: the vocabulary's code values and their Chinese names, as a table the marts join."""

from __future__ import annotations

import duckdb

from foundation.vocabulary import DOMAINS


def write_code_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Fill core.code_labels (made by schema.sql) with (domain, code, label) for every mapping of the vocabulary."""
    con.execute("delete from core.code_labels")
    con.executemany(
        "insert into core.code_labels values (?, ?, ?)",
        [(domain, code, label) for domain, codes in DOMAINS.items() for code, label in codes.items()],
    )
