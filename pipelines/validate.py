"""Run a kind's Great Expectations suite over a normalised batch (CONTRACT §2.10).

GX runs through its pandas data source (its SQL source fails on DuckDB). Each
failed expectation names the failing rows by index (result format COMPLETE,
which does not cap the list); a row collects every reason that applies.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from expectations import load_suite


class ValidationCrashed(RuntimeError):
    """An expectation could not be evaluated: a defect, never a verdict on the data."""


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    unexpected_index: list[int]
    """Batch positions of the rows that failed it."""


@lru_cache(maxsize=None)
def _context(docs: Path | None):
    """GX's context: in memory, or a file context at `docs` that keeps results and builds Data Docs there."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    if docs is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=str(docs))
    context.variables.progress_bars = {"globally": False}
    return context, context.data_sources.add_or_update_pandas("submissions")


@lru_cache(maxsize=None)
def _checkpoint(kind: str, docs: Path | None):
    """The kind's suite (always the one in expectations/), bound to a dataframe, with Data Docs when kept."""
    import great_expectations as gx

    context, source = _context(docs)
    batch = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
    suite = context.suites.add_or_update(gx.ExpectationSuite(**load_suite(kind)))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=kind, data=batch, suite=suite))
    actions = [] if docs is None else [gx.checkpoint.UpdateDataDocsAction(name="data_docs")]
    return context.checkpoints.add_or_update(gx.Checkpoint(
        name=kind, validation_definitions=[definition], actions=actions,
        result_format={"result_format": "COMPLETE"}))


def data_docs_index(docs: Path) -> Path:
    """Where the Data Docs of a file context at `docs` begin."""
    return docs / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def validate(kind: str, batch: pd.DataFrame, parameters: dict[str, list],
             docs: Path | None = None) -> tuple[list[list[str]], list[ExpectationOutcome]]:
    """Reasons per row (empty list: the row passes) and the outcome of each expectation.

    With `docs`, the validation result is kept in a GX file context there and its Data Docs are updated.
    """
    reasons: list[list[str]] = [[] for _ in range(len(batch))]
    if batch.empty:
        return reasons, []
    run = _checkpoint(kind, docs).run(batch_parameters={"dataframe": batch}, expectation_parameters=parameters)
    outcomes = []
    for result in run.run_results.values():
        for item in result.results:
            config = item.expectation_config
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise ValidationCrashed(f"{kind}: {config.type}: {item.exception_info.get('exception_message')}")
            indexes = [int(i) for i in item.result.get("unexpected_index_list") or []]
            for index in indexes:
                row = {k: _cell(v) for k, v in batch.iloc[index].items()}
                reasons[index].append(config.meta["reason"].format_map(row))
            outcomes.append(ExpectationOutcome(config.type, config.kwargs.get("column"), indexes))
    return reasons, outcomes
