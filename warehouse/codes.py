"""core.code_labels: the vocabulary's code values and their Chinese names, as a table the marts join."""

from __future__ import annotations

import duckdb

from mubiao.foundation.vocabulary import DOMAINS


def write_code_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Fill core.code_labels (made by schema.sql) with (domain, code, label, position) for every mapping of the
    vocabulary, in its order."""
    con.execute("delete from core.code_labels")
    con.executemany(
        "insert into core.code_labels values (?, ?, ?, ?)",
        [
            (domain, code, label, position)
            for domain, codes in DOMAINS.items()
            for position, (code, label) in enumerate(codes.items(), 1)
        ],
    )
