"""The steps of a run between landing and the models, as plain functions.

read → (per kind, reference kinds first, a chunk of files at a time) normalise →
validate → load, then the files' ledger. Each chunk is one transaction; the run
writes into a private copy of the warehouse (warehouse/publish.py), so a run
that dies midway leaves no trace but landed copies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.inbox import Passed
from pipelines.landing import Arrival
from pipelines.load import insert_quarantine, insert_raw, insert_staging, insert_validations
from pipelines.memory import released_per_chunk
from pipelines.normalise import References, normalise
from pipelines.run_reading import Progress, ReadBatch, chunks_of
from pipelines.validate import DataDocs, ExpectationOutcome, Reasons, passing, validate


def ledger(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Every recorded sha256 with the names it arrived under (none in a warehouse not yet made)."""
    known: dict[str, set[str]] = defaultdict(set)
    if not con.execute("select 1 from duckdb_tables() where schema_name = 'audit' and table_name = 'files'").fetchall():
        return known
    for sha, name in con.execute("select sha256, file_name from audit.files").fetchall():
        known[sha].add(name)
    return known


def passed_over(con: duckdb.DuckDBPyConnection) -> set[Passed]:
    """What the published warehouse says its latest run passed over in the inbox."""
    if not con.execute(
        "select 1 from duckdb_tables() where schema_name = 'audit' and table_name = 'skipped'"
    ).fetchall():
        return set()
    return {Passed(name, reason) for name, reason in con.execute("select name, reason from audit.skipped").fetchall()}


def record_passed(con: duckdb.DuckDBPyConnection, passed: list[Passed], seen_at: dt.datetime) -> None:
    """`audit.skipped` becomes what this run passed over."""
    con.execute("delete from audit.skipped")
    if passed:
        con.executemany("insert into audit.skipped values (?, ?, ?)", [(p.name, p.reason, seen_at) for p in passed])


def references(con: duckdb.DuckDBPyConnection) -> References:
    """The latest reference rows, including those loaded earlier in this transaction."""
    refs = References()
    for code, name, unit_type in con.execute(
        "select unit_code, unit_name, unit_type from core.units where is_latest"
    ).fetchall():
        refs.units[code] = unit_type
        refs.unit_names[name] = code
    for code, name, measure, unit in con.execute(
        "select indicator_code, indicator_name, measure, responsible_unit from core.indicators where is_latest"
    ).fetchall():
        refs.indicators[code] = (name, measure, unit)
        refs.indicator_names[name] = code
    for code, total, unit in con.execute(
        "select project_code, total_investment, responsible_unit from core.projects "
        "where is_latest qualify row_number() over (partition by project_code order by year desc) = 1"
    ).fetchall():
        refs.project_totals[code] = total
        refs.project_units[code] = unit
    return refs


def _parameters(refs: References) -> dict[str, list]:
    return {
        "known_units": sorted(refs.units),
        "known_indicators": sorted(refs.indicators),
        "known_projects": sorted(refs.project_totals),
    }


def _row_units(kind: str, batch: pd.DataFrame, refs: References) -> pd.Series:
    """The unit each row is about, for the scorecard's count of quarantined rows."""
    if kind == "project_progress":
        return batch["project_code"].astype(object).map(refs.project_units)
    if kind == "targets":
        return (
            batch["responsible_unit"]
            .astype(object)
            .fillna(
                batch["indicator_code"]
                .astype(object)
                .map(lambda code: refs.indicators[code][2] if code in refs.indicators else None)
            )
        )
    column = "unit_code" if "unit_code" in batch else "responsible_unit"
    return batch[column]


WAVES: tuple[tuple[str, ...], ...] = (
    ("units",),
    ("indicators", "projects"),
    ("targets", "indicator_values", "project_progress"),
)
"""The kinds in dependency waves: a kind's references are all loaded by earlier waves, none by its own.

indicators and projects name units; targets and values name units and indicators; progress names projects.
On workers (flows/run.py) the references are read once per wave; kinds are loaded in KINDS order.
"""


@dataclass
class Prepared:
    """One kind's batch, normalised and validated: everything `load_prepared` writes, as plain data."""

    kind: str
    raw: pa.Table
    batch: pd.DataFrame
    reasons: Reasons
    outcomes: list[ExpectationOutcome]
    units: pd.Series
    """The unit each row is about (audit.quarantine.unit_code)."""


def prepare_kind(kind: str, raw: pa.Table, refs: References, docs: DataDocs | None = None) -> Prepared:
    """Normalise and validate one kind's batch against `refs`; no warehouse needed (a Dask worker can do it).

    Without `docs` the kind's suite runs in this thread's own in-memory GX context and leaves no Data Docs.
    """
    batch = normalise(kind, raw, refs)
    reasons, outcomes = validate(kind, batch, _parameters(refs), docs)
    return Prepared(kind, raw, batch, reasons, outcomes, _row_units(kind, batch, refs))


def load_prepared(
    con: duckdb.DuckDBPyConnection, prepared: Prepared, read: ReadBatch, on_progress: Progress | None = None
) -> None:
    """Write a prepared batch in one transaction and count each file's rows in `read.results`."""
    kind, batch, reasons = prepared.kind, prepared.batch, prepared.reasons
    passed = passing(reasons, len(batch))
    con.begin()
    insert_raw(con, kind, prepared.raw)
    insert_validations(con, kind, batch["sha256"], prepared.outcomes)
    insert_staging(con, kind, batch[passed])
    insert_quarantine(con, kind, batch, prepared.raw, reasons, prepared.units)
    con.commit()
    for sha, count in batch["sha256"][passed].value_counts().items():
        read.results[sha].rows_loaded += int(count)
    for sha, count in batch["sha256"][~passed].value_counts().items():
        read.results[sha].rows_quarantined += int(count)
    if on_progress:
        on_progress(0, len(batch))


def ingest_kind(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    read: ReadBatch,
    on_progress: Progress | None = None,
    docs: DataDocs | None = None,
) -> None:
    """Normalise, validate and load every sheet of one kind, a chunk at a time (results kept for `docs`).

    Each chunk is loaded on a second thread while the next is prepared: DuckDB lets go of the GIL as it writes
    (at M, 77 s → 59 s for the values, for 40 MB more at the peak). A kind never names its own kind, so the
    references read before its first chunk hold for all of them.
    """
    refs = references(con) if read.chunks.get(kind) else None
    with released_per_chunk() as release, ThreadPoolExecutor(1) as loader:
        loading = None
        for raw in chunks_of(read, kind):
            prepared = prepare_kind(kind, raw, refs, docs)
            if loading:
                loading.result()
                release()
            loading = loader.submit(load_prepared, con, prepared, read, on_progress)
        if loading:
            loading.result()


def open_ledger(con: duckdb.DuckDBPyConnection, arrivals: list[Arrival]) -> None:
    """Record the arrivals first, so core views see this run's rows; counts follow in `close_ledger`."""
    start = con.execute("select coalesce(max(seq), 0) from audit.files").fetchall()[0][0]
    frame = pd.DataFrame(
        {
            "seq": range(start + 1, start + 1 + len(arrivals)),
            "file_name": [a.file_name for a in arrivals],
            "sha256": [a.sha256 for a in arrivals],
            "received_at": [a.received_at for a in arrivals],
            "status": ["duplicate" if a.duplicate else "loaded" for a in arrivals],
            "size_bytes": [a.size_bytes for a in arrivals],
            "rows_total": 0,
            "rows_loaded": 0,
            "rows_quarantined": 0,
        }
    )
    con.register("arrivals", frame)
    con.execute("insert into audit.files by name select * from arrivals")
    con.unregister("arrivals")


def close_ledger(con: duckdb.DuckDBPyConnection, read: ReadBatch) -> None:
    """Fill in each file's kind, counts and status once its rows are loaded; a duplicate takes its original's kind."""
    frame = pd.DataFrame(
        {
            "sha256": pd.Series(list(read.results), dtype=object),
            "kind": [",".join(dict.fromkeys(r.kinds)) or None for r in read.results.values()],
            "status": ["unreadable" if r.error else "loaded" for r in read.results.values()],
            "rows_total": [r.rows_total for r in read.results.values()],
            "rows_loaded": [r.rows_loaded for r in read.results.values()],
            "rows_quarantined": [r.rows_quarantined for r in read.results.values()],
            "error": [r.error for r in read.results.values()],
        }
    )
    con.register("results", frame)
    con.execute("""
        update audit.files set
            kind = results.kind, status = results.status, rows_total = results.rows_total,
            rows_loaded = results.rows_loaded, rows_quarantined = results.rows_quarantined,
            error = results.error
        from results
        where audit.files.sha256 = results.sha256 and audit.files.status = 'loaded'
    """)
    con.unregister("results")
    con.execute("""
        update audit.files set kind = original.kind
        from audit.files as original
        where audit.files.status = 'duplicate' and audit.files.kind is null
            and original.sha256 = audit.files.sha256 and original.status <> 'duplicate'
    """)
