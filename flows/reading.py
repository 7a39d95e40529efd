"""A run's files, landed and read: a task per part of PART_FILES files, on Prefect's process pool when there are
several parts, so that reading, which is Python, uses every core; a single part is read in the run's process.

On a cluster (the flow's task runner is Dask's), the parts go to its workers, a few at a time; they land and spill
to the run's own folders, so workers share its filesystem. Parts of 1,000 files paid better than of 250 on a local
cluster at S (4,828 files): 61.7 and 63.0 s against 87.2 and 65.9 s, a task's round trip costing more than the
spread of the last part gained.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, SettingsContext, get_settings_context
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from mubiao.flows.progress import advance
from mubiao.flows.retries import RETRYING_IO
from mubiao.foundation.checkpoints import checkpoint
from mubiao.pipelines.intake.landing import Arrival
from mubiao.pipelines.loading.run_reading import ReadBatch, merged, parts_of, read_part, reader_start

READERS = 4
"""Reading processes at most, whatever the cores: each holds a part's rows in memory."""
CLUSTER_IN_FLIGHT = 8
"""Parts on the cluster at once: enough to keep its workers busy, few enough that a failure stops the landing."""


def on_cluster() -> bool:
    """Whether the flow's task runner is a cluster's (Dask), whose workers are other processes, maybe other hosts;
    never outside a flow."""
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


def _with_these_settings() -> Callable[[], Callable[[str, Any], tuple[str, Any]]]:
    """A processor of the reading processes' logs and events that passes them on unchanged, made on the thread
    that forwards them to the API: the factory gives that thread the run's settings first.

    Prefect starts the thread without them, and under the command's temporary server (flows/api_server.py) it
    found no API, booted a server of its own for the logs and stopped it at the end.
    """
    settings = get_settings_context()

    def factory() -> Callable[[str, Any], tuple[str, Any]]:
        SettingsContext(profile=settings.profile, settings=settings.settings).__enter__()  # for the thread's life
        return lambda kind, payload: (kind, payload)

    return factory


@task(**RETRYING_IO, cache_policy=NO_CACHE, task_run_name="read-part-{number}")
def read_files_part(number: int, arrivals: list[Arrival], landing: Path, spill: Path, copy: bool) -> ReadBatch:
    read = read_part(number, arrivals, landing, spill, copy)
    get_run_logger().info("%s并读取 %d 个文件", "落地" if copy else "", len(read.results))
    return read


def read_files(arrivals: list[Arrival], landing: Path, spill: Path, copy: bool = False) -> ReadBatch:
    """Read the new files, their rows kept by kind in the folder `spill` until loaded; with `copy`, land them first.

    Should a part fail, the parts not yet begun are not, so that nothing is landed for a run that stops.
    """
    if on_cluster():
        batches = _read_on_cluster(parts_of(arrivals), landing, spill, copy)
    else:
        batches = _read_here(parts_of(arrivals), landing, spill, copy)
    if copy:
        checkpoint("landed")
    return merged(batches)


def _read_here(parts: list[list[Arrival]], landing: Path, spill: Path, copy: bool) -> list[ReadBatch]:
    """Each part read in this process, or on Prefect's process pool when there are several, in part order."""
    workers = min(os.cpu_count() or 1, len(parts), READERS)
    if workers < 2:
        batches = []
        for number, part in enumerate(parts):
            batches.append(read_files_part(number, quote(part), landing, spill, copy))
            advance(files=len(batches[-1].results))
        return batches
    runner = ProcessPoolTaskRunner(
        workers,
        subprocess_message_processor_factories=[_with_these_settings()],
        initializer=reader_start,
        initargs=(os.getpid(),),
    )
    with runner:
        futures = [
            runner.submit(
                read_files_part,
                {"number": n, "arrivals": quote(p), "landing": landing, "spill": spill, "copy": copy},
            )
            for n, p in enumerate(parts)
        ]
        for done in as_completed(futures):
            advance(files=len(done.result().results))
        return [future.result() for future in futures]


def _read_on_cluster(parts: list[list[Arrival]], landing: Path, spill: Path, copy: bool) -> list[ReadBatch]:
    """Each part read by the flow's task runner, CLUSTER_IN_FLIGHT at a time, the batches back in part order."""
    futures: list[PrefectFuture[ReadBatch]] = []
    for number, part in enumerate(parts):
        if number >= CLUSTER_IN_FLIGHT:  # the oldest part first: a failure raises before more are sent
            advance(files=len(futures[number - CLUSTER_IN_FLIGHT].result().results))
        futures.append(read_files_part.submit(number, part, landing, spill, copy))
    for future in futures[max(0, len(parts) - CLUSTER_IN_FLIGHT) :]:
        advance(files=len(future.result().results))
    return [future.result() for future in futures]
