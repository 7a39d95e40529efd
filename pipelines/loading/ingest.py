"""The steps of a load between reading and the models, as plain functions.

open the ledger → per kind, reference kinds first, a chunk of files at a time: prepare (normalise → validate)
→ load → close the ledger. The flows call them in that order (flows/loading.py). Each chunk is one
transaction; the caller writes into a private copy of the warehouse (warehouse/publish.py), so a load that
dies midway leaves no trace but landed copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from mubiao.foundation.kinds import KINDS
from mubiao.foundation.vocabulary import PROJECT_CATEGORIES, PROJECT_STATUSES
from mubiao.pipelines.intake.landing import Arrival
from mubiao.pipelines.loading.normalise import References, normalise
from mubiao.pipelines.loading.run_reading import ReadBatch
from mubiao.pipelines.loading.staging import insert_quarantine, insert_raw, insert_staging, insert_validations
from mubiao.pipelines.loading.validate import DataDocs, ExpectationOutcome, Reasons, passing, validate


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
        "select project_code, total_investment, responsible_unit from core.current_projects"
    ).fetchall():
        refs.project_totals[code] = total
        refs.project_units[code] = unit
    return refs


def _parameters(refs: References) -> dict[str, list]:
    return {
        "known_units": sorted(refs.units),
        "known_indicators": sorted(refs.indicators),
        "known_projects": sorted(refs.project_totals),
        "project_categories": list(PROJECT_CATEGORIES),
        "project_statuses": list(PROJECT_STATUSES),
    }


def _row_units(kind: str, batch: pd.DataFrame, refs: References) -> pd.Series:
    """The unit each row is about, for the scorecard's count of quarantined rows: the first of the kind's
    `unit_from` columns with a value, a project or an indicator standing for the unit responsible for it."""
    responsible = {
        "project_code": refs.project_units,
        "indicator_code": {code: indicator[2] for code, indicator in refs.indicators.items()},
    }
    if not KINDS[kind].unit_from:
        return pd.Series(None, index=batch.index, dtype=object)
    first, *rest = KINDS[kind].unit_from
    units = batch[first].astype(object).map(responsible[first]) if first in responsible else batch[first]
    for column in rest:
        named = batch[column].astype(object)
        units = units.astype(object).fillna(named.map(responsible[column]) if column in responsible else named)
    return units


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

    def only(self, keep: list[int]) -> Prepared:
        """The rows at positions `keep`, numbered afresh, with their reasons; the outcomes stay the whole batch's."""
        reasons = {new: self.reasons[old] for new, old in enumerate(keep) if old in self.reasons}
        batch, units = self.batch.iloc[keep].reset_index(drop=True), self.units.iloc[keep].reset_index(drop=True)
        return Prepared(self.kind, self.raw.take(keep), batch, reasons, self.outcomes, units)


def prepare_kind(kind: str, raw: pa.Table, refs: References, docs: DataDocs | None = None) -> Prepared:
    """Normalise and validate one kind's batch against `refs`; no warehouse needed (a Dask worker can do it).

    Without `docs` the kind's suite runs in this thread's own in-memory GX context and leaves no Data Docs.
    """
    batch = normalise(kind, raw, refs)
    reasons, outcomes = validate(kind, batch, _parameters(refs), docs)
    return Prepared(kind, raw, batch, reasons, outcomes, _row_units(kind, batch, refs))


def load_prepared(con: duckdb.DuckDBPyConnection, prepared: Prepared, read: ReadBatch) -> int:
    """Write a prepared batch in one transaction, count each file's rows in `read.results`, and return the rows."""
    batch = prepared.batch
    con.begin()
    insert_raw(con, prepared.kind, prepared.raw)
    insert_validations(con, prepared.kind, batch["sha256"], prepared.outcomes)
    passed = write_rows(con, prepared)
    con.commit()
    for sha, count in batch["sha256"][passed].value_counts().items():
        read.results[sha].rows_loaded += int(count)
    for sha, count in batch["sha256"][~passed].value_counts().items():
        read.results[sha].rows_quarantined += int(count)
    return len(batch)


def write_rows(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> pd.Series:
    """Each row of a prepared batch into staging, or into quarantine with its reasons; which passed."""
    passed = passing(prepared.reasons, len(prepared.batch))
    insert_staging(con, prepared.kind, prepared.batch[passed])
    insert_quarantine(con, prepared.kind, prepared.batch, prepared.raw, prepared.reasons, prepared.units)
    return passed


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
