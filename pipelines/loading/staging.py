"""Write a validated batch into the warehouse: raw rows, staging rows, quarantine.

Plain inserts; the caller (pipelines/loading/ingest.py) wraps each chunk's inserts in one transaction, and the
whole load writes into a private copy of the warehouse that is published only once complete, so a crash
leaves either all of a batch or none of it, and the published file as it was.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from mubiao.foundation.kinds import KINDS
from mubiao.pipelines.loading.validate import ExpectationOutcome, Reasons


def insert_raw(con: duckdb.DuckDBPyConnection, kind: str, table: pa.Table) -> None:
    con.register("raw_batch", table)
    con.execute(f"insert into raw.{kind} by name select * from raw_batch")
    con.unregister("raw_batch")


def insert_staging(con: duckdb.DuckDBPyConnection, kind: str, batch: pd.DataFrame) -> None:
    columns = {"sha256": "sha256", "sheet": "sheet", "row_number": "row_number"}
    columns.update({column.name: column.taken_from for column in KINDS[kind].staging})
    frame = pd.DataFrame({target: batch[source] for target, source in columns.items()})
    con.register("staging_batch", frame)
    con.execute(f"insert into staging.{kind} by name select * from staging_batch")
    con.unregister("staging_batch")


def insert_quarantine(
    con: duckdb.DuckDBPyConnection, kind: str, batch: pd.DataFrame, raw: pa.Table, reasons: Reasons, units: pd.Series
) -> None:
    rejected = sorted(reasons)
    if not rejected:
        return
    frame = pd.DataFrame(
        {
            "sha256": batch["sha256"].iloc[rejected].to_numpy(),
            "sheet": batch["sheet"].iloc[rejected].to_numpy(),
            "row_number": batch["row_number"].iloc[rejected].to_numpy(),
            "kind": kind,
            "reasons": ["；".join(dict.fromkeys(reasons[i])) for i in rejected],
            "raw": raw.column("raw").take(rejected).to_pylist(),
            "unit_code": units.iloc[rejected].to_numpy(),
            "year": batch["year"].iloc[rejected].to_numpy() if "year" in batch else None,
            "month": batch["month"].iloc[rejected].to_numpy() if "month" in batch else None,
        }
    )
    con.register("quarantine_batch", frame)
    con.execute("insert into audit.quarantine by name select * from quarantine_batch")
    con.unregister("quarantine_batch")


def insert_validations(
    con: duckdb.DuckDBPyConnection, kind: str, files: pd.Series, outcomes: list[ExpectationOutcome]
) -> None:
    """One audit.validations row per (file, expectation): how many of the file's rows failed it."""
    shas = pd.Index(files.unique())
    frames = []
    for outcome in outcomes:
        failed = files.iloc[outcome.unexpected_index].value_counts().reindex(shas, fill_value=0)
        frames.append(
            pd.DataFrame(
                {
                    "sha256": shas,
                    "expectation": outcome.expectation,
                    "column_name": outcome.column,
                    "success": failed.to_numpy() == 0,
                    "unexpected_count": failed.to_numpy(),
                }
            )
        )
    if not frames:
        return
    frame = pd.concat(frames, ignore_index=True)
    frame["kind"] = frame["suite"] = kind
    con.register("validation_batch", frame)
    con.execute("insert into audit.validations by name select *, now() as run_at from validation_batch")
    con.unregister("validation_batch")
