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

import pandas as pd

from expectations import load_suite


class ValidationCrashed(RuntimeError):
    """An expectation could not be evaluated: a defect, never a verdict on the data."""


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int


@lru_cache(maxsize=1)
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context, context.data_sources.add_pandas("submissions")


@lru_cache(maxsize=None)
def _definition(kind: str):
    import great_expectations as gx

    context, source = _context()
    batch = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
    suite = context.suites.add(gx.ExpectationSuite(**load_suite(kind)))
    return context.validation_definitions.add(gx.ValidationDefinition(name=kind, data=batch, suite=suite))


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def validate(kind: str, batch: pd.DataFrame, parameters: dict[str, list]) -> tuple[list[list[str]], list[ExpectationOutcome]]:
    """Reasons per row (empty list: the row passes) and the outcome of each expectation."""
    reasons: list[list[str]] = [[] for _ in range(len(batch))]
    if batch.empty:
        return reasons, []
    result = _definition(kind).run(
        batch_parameters={"dataframe": batch},
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE"},
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
        outcomes.append(ExpectationOutcome(config.type, config.kwargs.get("column"), bool(item.success), len(indexes)))
    return reasons, outcomes
