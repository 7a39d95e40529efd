"""Restate past months from the landing store, against the references as they are now.

A backfill re-reads the landed files that carried a month's indicator values or
project progress, normalises and validates them again with today's catalogue,
units and register, and replaces that month's rows of those files, loaded or
quarantined. Other months, and rows whose period never parsed, stay as they are.
The files keep their place in the arrival order, so the same version still wins.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

from mubiao.foundation.kinds import KINDS, monthly_kinds
from mubiao.pipelines.intake.landing import Arrival, landed_path
from mubiao.pipelines.loading.ingest import prepare_kind, references, write_rows
from mubiao.pipelines.loading.run_reading import raw_table
from mubiao.pipelines.loading.staging import insert_validations
from mubiao.pipelines.loading.validate import DataDocs
from mubiao.pipelines.parsers.file_reading import UnreadableFile, read_submission


def recorded_arrivals(
    con: duckdb.DuckDBPyConnection, landing: Path, received_by: object | None = None
) -> list[Arrival]:
    """The ledger's files as arrivals from the landing store, in arrival order (up to `received_by`)."""
    rows = con.execute(
        """
        select file_name, sha256, size_bytes, received_at, status = 'duplicate'
        from audit.files
        where ?::timestamptz is null or received_at <= ?::timestamptz
        order by seq
    """,
        [received_by, received_by],
    ).fetchall()
    return [
        Arrival(landed_path(landing, sha), name, sha, size, received, duplicate)
        for name, sha, size, received, duplicate in rows
    ]


def files_of_month(con: duckdb.DuckDBPyConnection, year: int, month: int) -> dict[str, str]:
    """sha256 → name of the loaded files with a row, loaded or quarantined, of the month, of a kind kept by month."""
    staged = "".join(
        f"select sha256 from staging.{kind} where year = $year and month = $month\n            union\n            "
        for kind in monthly_kinds()
    )
    return dict(
        con.execute(
            f"""
        with month_files as (
            {staged}select sha256 from audit.quarantine
            where list_contains($kinds, kind) and year = $year and month = $month
        )
        select sha256, file_name from audit.files
        where status = 'loaded' and sha256 in (select sha256 from month_files)
        order by seq
    """,
            {"year": year, "month": month, "kinds": list(monthly_kinds())},
        ).fetchall()
    )


def restate_month(
    con: duckdb.DuckDBPyConnection, year: int, month: int, landing: Path, docs: DataDocs | None = None
) -> dict[str, int]:
    """Replace one month's rows of the files that carried it; return the rows loaded and quarantined now."""
    counts = {"files": 0, "rows_loaded": 0, "rows_quarantined": 0}
    files = files_of_month(con, year, month)
    shas = list(files)
    tables: dict[str, list[pa.Table]] = defaultdict(list)
    for sha, name in files.items():
        try:
            found = read_submission(landed_path(landing, sha), name)
        except UnreadableFile:
            continue  # a file that read once reads again; should the copy be gone, its rows are kept
        counts["files"] += 1
        for sheet in found:
            if sheet.kind.by_month:
                tables[sheet.kind.name].append(raw_table([(sha, sheet)]))  # as Arrow: a month can be large
    refs = references(con)
    for kind in monthly_kinds():
        if not tables[kind]:
            continue
        prepared = prepare_kind(kind, pa.concat_tables(tables[kind]).combine_chunks(), refs, docs)
        insert_validations(con, kind, prepared.batch["sha256"], prepared.outcomes)
        in_month = ((prepared.batch["year"] == year) & (prepared.batch["month"] == month)).fillna(False).to_numpy()
        month_rows = prepared.only([i for i, inside in enumerate(in_month) if inside])
        params = {"year": year, "month": month, "shas": shas}
        con.execute(
            f"delete from staging.{kind} where year = $year and month = $month and list_contains($shas, sha256)", params
        )
        con.execute(
            "delete from audit.quarantine where kind = $kind and year = $year and month = $month "
            "and list_contains($shas, sha256)",
            {**params, "kind": kind},
        )
        passed = write_rows(con, month_rows)
        counts["rows_loaded"] += int(passed.sum())
        counts["rows_quarantined"] += len(month_rows.reasons)
    _recount(con, shas)
    return counts


def _recount(con: duckdb.DuckDBPyConnection, shas: list[str]) -> None:
    """audit.files' loaded and quarantined counts of the restated files, from what the warehouse now holds."""
    loaded = " union all ".join(f"select sha256 from staging.{kind}" for kind in KINDS)
    con.execute(
        f"""
        update audit.files set
            rows_loaded = (select count(*) from ({loaded}) as l where l.sha256 = audit.files.sha256),
            rows_quarantined = (select count(*) from audit.quarantine as q where q.sha256 = audit.files.sha256)
        where list_contains($shas, sha256) and status = 'loaded'
    """,
        {"shas": shas},
    )


def months_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from start to end, both included."""
    first, last = start[0] * 12 + start[1] - 1, end[0] * 12 + end[1] - 1
    return [(index // 12, index % 12 + 1) for index in range(first, last + 1)]
