"""Run a kind's Great Expectations suite over a normalised batch (docs/submissions.md §2.10).

GX runs through its pandas data source (its SQL source fails on DuckDB). Each
failed expectation names the failing rows by index (result format COMPLETE,
which does not cap the list); a row collects every reason that applies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import os
import shutil
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mubiao.expectations import load_suite, suite_columns
from mubiao.foundation.deferred import defer, unseen
from mubiao.pipelines.loading.docs_site import SITE, data_docs_index, remove_half_built_docs, sidecar


class ValidationCrashed(RuntimeError):
    """An expectation could not be evaluated: a defect, never a verdict on the data."""


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    unexpected_index: list[int]
    """Batch positions of the rows that failed it."""


UNUSED_BY_GX = ("scipy.stats", "altair")
"""What GX imports for expectations and renderers mubiao never uses: imported only if they are used
(foundation/deferred.py), the first import of GX then takes half the processor time."""

UNSEEN_BY_GX = ("sqlalchemy",)
"""GX's optional dependency for its SQL sources, which mubiao does not use (that source fails on DuckDB): Prefect's
server installs it, and GX imports it whenever it can (0.11–0.13 s of its 0.65 s); GX is imported as if it were
not installed."""


def import_gx():
    """Great Expectations, imported (slow, the first time) without analytics and with its INFO logs quiet."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    for name in UNUSED_BY_GX:
        defer(name)
    with unseen(UNSEEN_BY_GX):
        import great_expectations as gx

    for name in ("great_expectations", "great_expectations.data_context.types.base"):  # the latter sets INFO itself
        logging.getLogger(name).setLevel(logging.WARNING)
    return gx


def _context():
    """GX's context in memory (ephemeral): no file of its own that a run rewrites, so none that a crash can break."""
    gx = import_gx()

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


class Suites:
    """Each kind's suite (always the one in expectations/), bound to a dataframe, in one GX context."""

    def __init__(self) -> None:
        self._context = None
        self._definitions: dict[str, object] = {}

    @property
    def context(self):
        if self._context is None:
            self._context = _context()
            self._source = self._context.data_sources.add_or_update_pandas("submissions")
        return self._context

    def definition(self, kind: str):
        if kind not in self._definitions:
            import great_expectations as gx

            context = self.context
            batch = self._source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
            suite = context.suites.add_or_update(gx.ExpectationSuite(**load_suite(kind)))
            self._definitions[kind] = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=kind, data=batch, suite=suite)
            )
        return self._definitions[kind]


_in_memory = Suites()
"""For validation without a record (no Data Docs): one in-memory context per process."""
_one_at_a_time = threading.Lock()
"""GX contexts are not thread-safe: threads of one process (a threaded Dask worker) validate in turn."""


class DataDocs(Suites):
    """One run's validation results, kept in memory, and their Data Docs, written under `folder`/gx by `build`.

    Made afresh for each run, so that a long-lived process never holds another run's results.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.run_time = dt.datetime.now(dt.UTC)
        self._chunks: Counter[str] = Counter()

    def run_id(self, kind: str):
        """A run id for the next chunk of `kind`: chunks of one run would otherwise overwrite each other's results."""
        from great_expectations.core.run_identifier import RunIdentifier

        self._chunks[kind] += 1
        return RunIdentifier(run_name=f"mubiao {kind} {self._chunks[kind]}", run_time=self.run_time)

    @property
    def index(self) -> Path:
        return data_docs_index(self.folder)

    def build(self) -> None:
        """Render this run's results and the index page into a folder of their own, then put it in the place of
        the last run's: a fault halfway leaves the last run's pages as they were, and no page half-written."""
        if self._context is None:  # nothing was validated: no pages, and no GX to import for them
            return
        keys = self.context.validation_results_store.list_keys()
        if not keys:
            return
        site = self.index.parent
        building = sidecar(site, ".building")
        shutil.rmtree(building, ignore_errors=True)
        self.context.update_data_docs_site(
            SITE,
            {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(building)},
            },
        )
        replaced = sidecar(site, ".old")
        try:
            with _pages_failing() as failures:
                self.context.build_data_docs(site_names=[SITE], resource_identifiers=keys)
            if failures:
                raise failures[0]
            if site.exists():
                site.rename(replaced)
            building.rename(site)
        except BaseException as error:
            remove_half_built_docs(self.folder)
            if isinstance(error, OSError) and error.filename is None:
                error.filename = str(site)  # a failed write names no file
            raise
        shutil.rmtree(replaced, ignore_errors=True)


@contextlib.contextmanager
def _pages_failing() -> Iterator[list[BaseException]]:
    """The errors of the pages GX could not write in the block: it logs each with its traceback and goes on, which
    would leave a site with pages missing. Kept here instead of printed."""
    failures: list[BaseException] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if (error := sys.exc_info()[1]) is not None:
                failures.append(error)

    logger = logging.getLogger("great_expectations.render.renderer.site_builder")
    handler, propagate = Keep(logging.ERROR), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield failures
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


Reasons = dict[int, list[str]]
"""Batch position → why that row is rejected; a row that passes has no entry."""


def passing(reasons: Reasons, rows: int) -> np.ndarray:
    """A mask of the `rows` rows of a batch: True where the row passed."""
    passed = np.ones(rows, dtype=bool)
    passed[list(reasons)] = False
    return passed


def validate(
    kind: str, batch: pd.DataFrame, parameters: dict[str, list], docs: DataDocs | None = None
) -> tuple[Reasons, list[ExpectationOutcome]]:
    """The reasons of each failing row and the outcome of each expectation.

    With `docs`, the validation result is kept for the run's Data Docs.
    """
    reasons: Reasons = defaultdict(list)
    if batch.empty:
        return {}, []
    with _one_at_a_time:
        result = (
            (docs or _in_memory)
            .definition(kind)
            .run(
                batch_parameters={"dataframe": batch[[c for c in suite_columns(kind) if c in batch.columns]]},
                expectation_parameters=parameters,
                result_format={"result_format": "COMPLETE"},
                run_id=docs and docs.run_id(kind),
            )
        )
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise ValidationCrashed(f"{kind}: {config.type}: {item.exception_info.get('exception_message')}")
        indexes = [int(i) for i in item.result.get("unexpected_index_list") or []]
        for index in indexes:
            row = {k: _cell(v) for k, v in batch.iloc[index].items()}
            reasons[index].append(config.meta["reason"].format_map(row))
        outcomes.append(ExpectationOutcome(config.type, config.kwargs.get("column"), indexes))
    return dict(reasons), outcomes
