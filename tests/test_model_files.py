"""Adding a model is adding a file: its header says what it is, and its lineage when it builds
(warehouse/model_files.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from mubiao.warehouse.dictionary import DictionaryError
from mubiao.warehouse.model_files import models_sha256, read_models
from mubiao.warehouse.models import apply_schema, build_models
from tests.test_build_periods import receive
from tests.test_models import REFERENCES, project, value

FIXTURES = Path(__file__).parent / "fixtures" / "models"


def models_with(tmp_path: Path, *extra: Path) -> Path:
    """A copy of the package's models folder (schema.sql and its layers) with `extra` files added."""
    folder = tmp_path / "models"
    shutil.copytree(
        Path(str(resources.files("mubiao.warehouse"))), folder, ignore=shutil.ignore_patterns("*.py", "__*")
    )
    for file in extra:
        shutil.copy(file, folder / file.parent.name / file.name)
    return folder


def test_a_model_file_added_to_the_folder_is_built_in_lineage_order_with_its_comments(tmp_path):
    folder = models_with(tmp_path, *sorted(FIXTURES.glob("*/*.sql")))
    order = [model.name for model in read_models(folder)]
    assert (
        order.index("marts.unit_scorecard")
        < order.index("marts.active_units")
        < order.index("marts.active_unit_counts")
    )  # by name, marts.active_units would come first, before the table it reads exists
    assert models_sha256(folder) != models_sha256()
    assert "marts.active_units" not in {model.name for model in read_models()}

    con = duckdb.connect()
    apply_schema(con, folder)
    for name, tables in REFERENCES.items():
        receive(con, name, *next(iter(tables.items())))
    receive(con, "projects.csv", "projects", [project("P1", 12), project("P2", 5, unit="T02")])
    receive(con, "2017-03.csv", "indicator_values", [value("T01", "FAI", 2017, 3, 4)])
    build_models(con, due_day=10, folder=folder)

    assert con.execute("select * from marts.active_units order by all").fetchall() == [
        (2017, "T01", 1),
        (2017, "T02", 1),
    ]
    assert con.execute("select * from marts.active_unit_counts").fetchall() == [(2017, 2)]
    [(kind, comment)] = con.execute(
        "select 'table', comment from duckdb_tables() where table_name = 'active_units' union all "
        "select 'view', comment from duckdb_views() where view_name = 'active_units'"
    ).fetchall()
    assert kind == "table" and comment.startswith("在考单位：一行一个（年度，单位）")
    columns = con.execute(
        "select column_name, comment from duckdb_columns() where table_name = 'active_units' order by column_index"
    ).fetchall()
    assert columns == [("year", "年度"), ("unit_code", "单位代码"), ("duties", "负责的目标与重点项目数")]
    assert con.execute("select comment from duckdb_views() where view_name = 'active_unit_counts'").fetchone()[0]

    due = "select year, month, due_date from core.due_dates where month = 3"
    assert con.execute(due).fetchall() == [(2017, 3, dt.date(2017, 4, 10))]  # params.settings' due day
    receive(con, "2017-04.csv", "indicator_values", [value("T01", "FAI", 2017, 4, 6)])
    build_models(con, due_day=10, since_last_build=True, folder=folder)
    assert con.execute("select count(*) from params.build_months").fetchone()[0] < 12  # only the months touched
    kept = "select count(*) from core.due_dates where year = 2017 and month < 4"
    assert con.execute(kept).fetchone()[0] == 3, "the months before it are kept"


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("marts/x.sql", "-- @table marts.x 说明\n-- @column a 列\nselect 1 as a", "no '-- @model"),
        ("marts/x.sql", "-- @table marts.y 说明\n-- @model kind=view grain=a\nselect 1 as a", "describes"),
        (
            "marts/x.sql",
            "-- @table marts.x 说明\n-- @model kind=table grain=due_day\nselect due_day from params.settings",
            r"parameters=, but it reads \['params.settings'\]",
        ),
        (
            "marts/x.sql",
            "-- @table marts.x 说明\n-- @model kind=table grain=a parameters=params.settings\nselect 1 as a",
            "but it reads none",
        ),
        (
            "marts/x.sql",
            "-- @table marts.x 说明\n-- @model kind=table_by_month grain=year\n-- @column year 年\nselect 1 as year",
            "kept by month",
        ),
        ("marts/x.sql", "-- @table marts.x 说明\n-- @model kind=view grain=a rounded=true\nselect 1 as a", "rounded"),
        (
            "marts/x.sql",
            "-- @table marts.x 说明\n-- @model kind=view grain=d\nselect getvariable('due_day') as d",
            r"reads \['getvariable\(\)'\]",
        ),
        (
            "marts/x.sql",
            "-- @table marts.x 说明\n-- @model kind=view grain=year\nwith a as (select year from build_periods)\n"
            "select * from a",
            r"reads \['build_periods'\]",
        ),
    ],
)
def test_a_header_that_disagrees_with_its_sql_is_refused(tmp_path, name, text, message):
    with pytest.raises(DictionaryError, match=message):
        read_models(write(tmp_path, name, text))


def test_models_that_read_each_other_in_a_circle_are_refused(tmp_path):
    write(tmp_path, "core/a.sql", "-- @table core.a 甲\n-- @model kind=view grain=x\nselect * from core.b")
    write(tmp_path, "core/b.sql", "-- @table core.b 乙\n-- @model kind=view grain=x\nselect * from core.a")
    with pytest.raises(ValueError, match="circle"):
        read_models(tmp_path)
