"""Restate past months from the landing store, against the references as they are now.

A backfill re-reads the landed files that carried a month's indicator values or
project progress, normalises and validates them again with today's catalogue,
units and register, and replaces that month's rows of those files, loaded or
quarantined; `audit.restated` records each file. Other months, rows whose
period never parsed and the rows of a file that can no longer be read stay as
they are.
The files keep their place in the arrival order, so the same version still wins.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

from mubiao.foundation.kinds import KINDS, monthly_kinds
from mubiao.pipelines.intake.landing import Arrival, landed_path
from mubiao.pipelines.loading.ingest import prepare_kind, references, write_rows
from mubiao.pipelines.loading.run_reading import raw_table, read_file
from mubiao.pipelines.loading.staging import insert_validations
from mubiao.pipelines.loading.validate import DataDocs
from mubiao.pipelines.parsers.limits import Limits


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
    """Replace one month's rows of the files that carried it, and record each file in `audit.restated`; return
    the files restated and unreadable, and the rows loaded and quarantined now.

    Each file is read as a run reads it (`read_file`): one that cannot be read is recorded with its reason and
    keeps its rows; a fault of the disk stops the backfill.
    """
    files = files_of_month(con, year, month)
    tables, errors = _read_month(files, landing)
    shas = [sha for sha in files if sha not in errors]
    loaded: Counter[str] = Counter()
    quarantined: Counter[str] = Counter()
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
        loaded.update(month_rows.batch["sha256"][passed])
        quarantined.update(month_rows.batch["sha256"][~passed])
    _recount(con, shas)
    _record(con, year, month, files, errors, loaded, quarantined)
    return {
        "files": len(shas),
        "files_unreadable": len(errors),
        "rows_loaded": sum(loaded.values()),
        "rows_quarantined": sum(quarantined.values()),
    }


def _read_month(files: dict[str, str], landing: Path) -> tuple[dict[str, list[pa.Table]], dict[str, str]]:
    """The monthly kinds' sheets of the landed `files` (sha256 → name), and why any of them cannot be read."""
    limits = Limits.from_env()
    errors: dict[str, str] = {}
    tables: dict[str, list[pa.Table]] = defaultdict(list)
    for sha, name in files.items():
        sheets, error = read_file(landed_path(landing, sha), name, limits)
        if error:
            errors[sha] = error
        for sheet in sheets:
            if sheet.kind.by_month:
                tables[sheet.kind.name].append(raw_table([(sha, sheet)]))  # as Arrow: a month can be large
    return tables, errors


def _record(
    con: duckdb.DuckDBPyConnection,
    year: int,
    month: int,
    files: dict[str, str],
    errors: dict[str, str],
    loaded: Counter[str],
    quarantined: Counter[str],
) -> None:
    """Each file of the month into `audit.restated`: restated with its rows now, or unreadable with its reason."""
    if not files:  # a month in the range that no file carried
        return
    con.executemany(
        "insert into audit.restated values (current_timestamp, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (year, month, sha, name, "unreadable" if sha in errors else "restated")
            + (loaded[sha], quarantined[sha], errors.get(sha))
            for sha, name in files.items()
        ],
    )


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
