"""Cheap guards against drift between the docs, the kinds, the suites, the models and the CLI."""

from __future__ import annotations

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from mubiao.cli.main import app
from mubiao.expectations import load_suite, suite_columns
from mubiao.foundation.kinds import KINDS
from mubiao.pipelines.loading.normalise import References, normalise
from mubiao.warehouse.dictionary import VIEW
from mubiao.warehouse.model_files import read_models

DOCUMENTED_MARTS = {"target_completion", "project_investment_by_category", "unit_scorecard", "annual_review"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_column_a_kind_validates_and_stages_is_one_its_normalising_makes(kind):
    """The spec names the columns of its suite and its staging table; the normalising must make each of them, or
    GX would pass over an expectation and staging lack a column."""
    columns = ["sha256", "sheet", "row_number", *KINDS[kind].column_names]
    table = pa.table({name: pa.array([None], pa.string()) for name in columns})
    made = set(normalise(kind, table, References()).columns)
    assert set(suite_columns(kind)) - {"sha256"} <= made
    assert {column.taken_from for column in KINDS[kind].staging} <= made


def test_every_expectation_carries_a_reason_and_a_name_for_the_office():
    for kind in KINDS:
        named = [(e["type"], e["kwargs"].get("column")) for e in load_suite(kind)["expectations"]]
        assert len(set(named)) == len(named), f"{kind}: the validation pages tell checks by type and column"
        for expectation in load_suite(kind)["expectations"]:
            assert expectation["meta"]["reason"] and expectation["meta"]["check"], (kind, expectation["type"])


def test_every_contract_mart_has_a_model():
    built = [model for model in read_models() if model.kind != VIEW]
    assert {model.name.split(".")[1] for model in built if model.name.startswith("marts.")} >= DOCUMENTED_MARTS
    for model in built:  # it opens with its description, which says what a row is
        assert model.sql.startswith(f"-- @table {model.name} "), model.name
        assert "一行一个" in model.described.comment and "\n-- one row per" in model.sql, model.name


@pytest.mark.parametrize("command", ["run", "sql", "tables", "status", "feedback", "docs", "report", "serve"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip()) > 50
