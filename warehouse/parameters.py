"""The build's parameters as tables the models read, never session variables (params.*, described in schema.sql).

- params.settings: one row, the due day, the zone's time zone and the measures counted in whole numbers;
- params.build_months: the months a build writes of the tables kept by month (warehouse/build_periods.py).

A model names the ones it reads in its header (warehouse/model_files.py). They stay in the warehouse after the
build, so a model's SQL run in `mubiao sql` reads what its build read.
"""

from __future__ import annotations

import duckdb

from mubiao.foundation.zone import ZONE_NAME
from mubiao.pipelines.parsers.measures import WHOLE_NUMBER_MEASURES


def write_settings(con: duckdb.DuckDBPyConnection, due_day: int) -> None:
    """Set params.settings for the build about to run."""
    con.execute("delete from params.settings")
    con.execute("insert into params.settings values (?, ?, ?)", [due_day, ZONE_NAME, list(WHOLE_NUMBER_MEASURES)])
