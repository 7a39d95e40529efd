"""The warehouse's models: stored tables (schema.sql) and SQL models, layer by layer.

raw and staging are written by the loader; the SQL models (warehouse/model_files.py) say in their headers whether
they are views over them (always current) or tables built by `build_models`, each whole or, after a month's files,
only the months they touched (warehouse/build_periods.py). Both walk the models in the order their lineage gives.
"""

from __future__ import annotations

from importlib import resources

import duckdb

from mubiao.foundation.catalog import has_column
from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.kinds import KINDS
from mubiao.foundation.zone import DEFAULT_DUE_DAY
from mubiao.warehouse.build_periods import choose_build_periods
from mubiao.warehouse.codes import write_reference_tables
from mubiao.warehouse.dictionary import TABLE, VIEW, Described, apply_comments, read_blocks
from mubiao.warehouse.kind_tables import create_kind_tables, staging_described
from mubiao.warehouse.model_files import MONTHS, Folder, Model, models_sha256, read_models
from mubiao.warehouse.parameters import write_settings
from mubiao.warehouse.rounded import create_rounded_view, rounded_name
from mubiao.warehouse.schema_applied import Recorder, apply_once


def apply_schema(con: duckdb.DuckDBPyConnection, folder: Folder = None) -> bool:
    """Create what is missing: stored tables, raw and staging tables per kind, the views over them; describe each.
    Skipped when the warehouse carries this schema already (warehouse/schema_applied.py); whether it was applied."""
    return apply_once(con, lambda recorder: _schema_steps(recorder, folder))


def _schema_steps(con: duckdb.DuckDBPyConnection | Recorder, folder: Folder) -> None:
    """Every statement of the schema, executed on `con`: they only write, so a Recorder can take them."""
    schema = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
    con.execute(schema)
    stored = {block.name: block for block in read_blocks(schema)}
    for block in stored.values():
        apply_comments(con, block)
    create_kind_tables(con)
    write_reference_tables(con)
    for model in read_models(folder):
        if model.kind == VIEW and not model.over_tables:
            _create_view(con, model)


def _create_view(con: duckdb.DuckDBPyConnection | Recorder, model: Model) -> None:
    con.execute(f"create or replace view {model.name} as {model.sql}")
    block = model.described
    if model.template_of:  # core.<kind>: staging's columns, then the version's own
        columns = {**staging_described(KINDS[model.template_of]).columns, **block.columns}
        block = Described(block.name, block.comment, columns)
    apply_comments(con, block)


def build_models(
    con: duckdb.DuckDBPyConnection,
    due_day: int = DEFAULT_DUE_DAY,
    since_last_build: bool = False,
    folder: Folder = None,
) -> None:
    """Build the models that are tables, and then the views over them, in one transaction: every month, or with
    `since_last_build` (a run that took in files), only the months the files since the last build touched, where
    that is enough."""
    con.begin()
    try:
        models = read_models(folder)
        fingerprint = models_sha256(folder)
        write_settings(con, due_day)
        built = [model.name for model in models if model.kind != VIEW]
        whole = choose_build_periods(con, due_day, fingerprint, built, since_last_build)
        for model in models:
            if model.kind != VIEW:
                _build_table(con, model, whole)
                checkpoint("building-marts")
            elif model.over_tables:
                _create_view(con, model)
        con.execute(
            "insert into audit.builds by name select coalesce(max(seq), 0) as built_through_seq, now() as built_at, "
            "? as due_day, ? as models_sha256 from audit.files",
            [due_day, fingerprint],
        )
        con.commit()
    except Exception:
        con.rollback()
        raise


def _build_table(con: duckdb.DuckDBPyConnection, model: Model, whole: bool) -> None:
    """Make the table anew when `whole`; else refill its rows, or only the months of params.build_months for one
    kept by month. A build that is not whole has the last build's models, so the table's columns, its comments
    and its rounded view stand as that build made them."""
    if not whole:
        months = f" where (year, month) in (select year, month from {MONTHS})" if model.kind != TABLE else ""
        con.execute(f"delete from {model.name}{months}")
        con.execute(f"insert into {model.name} by name {model.sql}")
        return
    _drop_view(con, *model.name.split("."))
    con.execute(f"create or replace table {model.name} as {model.sql}")
    apply_comments(con, model.described)
    if model.described.header.rounded:
        create_rounded_view(con, model.name)
    else:  # one an earlier mubiao made
        con.execute(f"drop view if exists {rounded_name(model.name)}")


def _drop_view(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop the view an earlier mubiao kept in place of the table `schema.name`, if there is one."""
    if con.execute("select 1 from duckdb_views() where schema_name = ? and view_name = ?", [schema, name]).fetchall():
        con.execute(f"drop view {schema}.{name}")


_VIEWS = "select schema_name || '.' || view_name from duckdb_views() where not internal"


def needs_build(con: duckdb.DuckDBPyConnection, due_day: int = DEFAULT_DUE_DAY) -> bool:
    """True when a file arrived after the last build, the due day changed, or a model or a parameter table it reads
    is missing (a warehouse built by an earlier mubiao, say). The last build made every table of its models: with
    these same models (their fingerprint in audit.builds) none is looked for, and the models are not read (0.06 s of
    each look for news)."""
    tables = {
        name for (name,) in con.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall()
    }
    if not {"audit.builds", "audit.files"} <= tables:
        return True
    built, built_due_day, arrived, built_models = con.execute(f"""
        select
            (select max(built_through_seq) from audit.builds),
            (select arg_max(due_day, built_at) from audit.builds),
            (select coalesce(max(seq), 0) from audit.files),
            {_LAST_MODELS if has_column(con, "audit", "builds", "models_sha256") else "null"}
    """).fetchall()[0]
    if built is None or arrived > built or built_due_day != due_day:
        return True
    return built_models != models_sha256() and _models_missing(con, tables)


_LAST_MODELS = "(select arg_max(models_sha256, built_at) from audit.builds)"
"""The last build's models' fingerprint (a warehouse no mubiao has opened since it was recorded has no column)."""


def _models_missing(con: duckdb.DuckDBPyConnection, tables: set[str]) -> bool:
    """Whether a model, or a parameter table one reads, is missing from the warehouse."""
    views = {name for (name,) in con.execute(_VIEWS).fetchall()}
    models = read_models()
    expected_tables = set().union(
        *(model.described.header.parameters for model in models), (m.name for m in models if m.kind != VIEW)
    )
    return not (expected_tables <= tables and {model.name for model in models if model.kind == VIEW} <= views)
