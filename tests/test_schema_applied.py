"""The schema is applied to a warehouse once per version of it: skipped when the warehouse carries its fingerprint,
applied again when the warehouse carries another's (warehouse/schema_applied.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from mubiao.foundation.catalog import has_table
from mubiao.foundation.vocabulary import DOMAINS
from mubiao.warehouse.models import apply_schema
from mubiao.warehouse.schema_applied import carried
from tests.test_model_files import models_with


def described(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from duckdb_columns() where comment is not null").fetchone()[0]


def test_a_warehouse_carrying_the_schema_skips_it_and_one_carrying_an_older_one_gets_it(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    assert apply_schema(con)
    comments, current = described(con), carried(con)
    assert current and not apply_schema(con)

    con.execute("drop view core.arrivals")
    con.execute("comment on column audit.files.seq is null")
    con.execute("delete from core.code_labels")
    assert not apply_schema(con)  # nothing executed: what was dropped stays dropped
    assert not has_table(con, "core", "arrivals")

    con.execute("update audit.schema_applied set fingerprint = 'an earlier mubiao'")
    assert apply_schema(con)
    assert has_table(con, "core", "arrivals")
    assert described(con) == comments
    assert con.execute("select count(*) from core.code_labels").fetchone()[0] == sum(map(len, DOMAINS.values()))
    assert carried(con) == current


def test_a_schema_that_fails_halfway_is_not_applied_at_all(tmp_path: Path):
    """The statements go in one transaction with the fingerprint: a failure leaves none of them."""
    from mubiao.warehouse.schema_applied import apply_once

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    apply_schema(con)
    before = carried(con)

    def failing(recorder) -> None:
        recorder.execute("create table core.made_first (n integer)")
        recorder.execute("select * from core.no_such_table")

    with pytest.raises(duckdb.CatalogException):
        apply_once(con, failing)
    assert not has_table(con, "core", "made_first")
    assert carried(con) == before
    assert not apply_schema(con), "the connection is usable, and the schema as it was"


def test_another_model_is_another_schema(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    apply_schema(con)
    folder = models_with(tmp_path)
    (folder / "core" / "kind_names.sql").write_text(
        "-- @table core.kind_names 类别名称\n-- @model kind=view grain=kind\n-- @column kind 类别\n"
        "select kind from core.kind_labels\n",
        encoding="utf-8",
    )
    assert apply_schema(con, folder)
    assert has_table(con, "core", "kind_names")
    assert not apply_schema(con, folder)
    assert apply_schema(con)  # the package's models again


def test_the_fingerprint_is_the_same_in_every_process(tmp_path: Path):
    """A set among the statements' parameters would order itself by each process's hash seed, and every run would
    apply the schema again."""
    script = (
        "import sys, duckdb\n"
        "from mubiao.warehouse.models import apply_schema\n"
        "from mubiao.warehouse.schema_applied import carried\n"
        "con = duckdb.connect(sys.argv[1]); apply_schema(con); print(carried(con))\n"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / f"{seed}.duckdb")],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2)
    }
    assert len(found) == 1
