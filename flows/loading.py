"""A load's sequence, wired: record the arrivals, then every kind that arrived in KINDS order (so that a kind's
references are loaded before it), a chunk at a time, then the files' counts.

The flow's task runner prepares the chunks (normalise, validate): on threads, or on Dask's workers. This
thread writes each in turn, one transaction a chunk, while the next is prepared: DuckDB lets go of the GIL as
it writes.
"""

from __future__ import annotations

from collections import deque

import duckdb
import pyarrow as pa
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from mubiao.flows.progress import advance
from mubiao.flows.reading import on_cluster
from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.kinds import KINDS, kind_label
from mubiao.foundation.runtime import released_per_chunk
from mubiao.pipelines.intake.landing import Arrival
from mubiao.pipelines.loading.ingest import Prepared, close_ledger, load_prepared, open_ledger, prepare_kind, references
from mubiao.pipelines.loading.normalise import References
from mubiao.pipelines.loading.run_reading import ReadBatch, chunks_of
from mubiao.pipelines.loading.validate import DataDocs

IN_FLIGHT = 4
"""Chunks of a kind being prepared on Dask's workers at once: enough to keep two busy, few enough to bound memory."""
IN_FLIGHT_HERE = 2
"""Chunks of a kind in hand at once on the flow's threads: the one being written and the next, being prepared."""


@task(cache_policy=NO_CACHE, task_run_name="prepare-{kind}")
def prepare(kind: str, raw: pa.Table, refs: References, docs: DataDocs | None) -> Prepared:
    prepared = prepare_kind(kind, raw, refs, docs)
    get_run_logger().info("%s：已整理 %d 行", kind_label(kind), len(prepared.batch))
    return prepared


def load_arrivals(
    con: duckdb.DuckDBPyConnection, arrivals: list[Arrival], read: ReadBatch, docs: DataDocs | None
) -> None:
    """Every load's sequence (a run, a known-at rebuild); the validation results are kept for `docs` when the
    chunks are prepared in this process."""
    here = not on_cluster()
    open_ledger(con, arrivals)
    checkpoint("ledger-opened")
    for kind in KINDS:
        if read.chunks.get(kind):  # a kind with no rows costs no task
            _load_kind(con, kind, read, docs if here else None, IN_FLIGHT_HERE if here else IN_FLIGHT)
            files = sum(1 for result in read.results.values() if kind in result.kinds)
            get_run_logger().info("%s：%d 个文件已入库", kind_label(kind), files)
        checkpoint(f"ingested-{kind}")
    checkpoint("ingested")
    close_ledger(con, read)
    checkpoint("committed")


def _load_kind(
    con: duckdb.DuckDBPyConnection, kind: str, read: ReadBatch, docs: DataDocs | None, in_flight: int
) -> None:
    """Each chunk of `kind` prepared by the task runner, `in_flight` at a time, and loaded here in order.

    A kind never names its own kind, so the references read before its first chunk hold for all of them.
    """
    refs = references(con)
    pending: deque[PrefectFuture[Prepared]] = deque()
    with released_per_chunk() as release:

        def load_next() -> None:
            advance(rows=load_prepared(con, pending.popleft().result(), read))
            release()

        for raw in chunks_of(read, kind):
            if len(pending) == in_flight:
                load_next()
            pending.append(prepare.submit(kind, raw, refs, docs))  # no quote(): Dask unpacks its namedtuple to a tuple
        while pending:
            load_next()
