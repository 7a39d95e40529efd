"""The warehouse's models: stored tables (schema.sql) and SQL models, layer by layer.

raw and staging are written by the loader; most core models are views over them (always current); the marts,
audit.warnings and the two core models that the marts read most are tables built by `build_models`, each whole or,
after a month's files, only the months they touched (warehouse/build_periods.py).
"""

from __future__ import annotations

import hashlib
from importlib import resources

import duckdb

from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.kinds import KINDS
from mubiao.foundation.zone import DEFAULT_DUE_DAY, ZONE_NAME
from mubiao.pipelines.parsers.measures import WHOLE_NUMBER_MEASURES
from mubiao.warehouse.build_periods import MONTHLY_TABLES, choose_build_periods
from mubiao.warehouse.codes import write_reference_tables
from mubiao.warehouse.dictionary import Described, apply_comments, model_block, read_blocks
from mubiao.warehouse.rounded import create_rounded_view

CORE_VIEWS = (
    "time_progress",
    "current_projects",
    "project_month_states",
    "project_investment",
    "file_senders",
    "quarantine_rows",
    "arrivals",
    "reporting_obligations",
    "expected_submissions",
)
"""Views over the per-kind version views, which core/versions.sql makes for every kind."""
AUDIT_VIEWS = ("quarantine_rows", "feedback_rows")
"""Views over core for reading the audit trail."""
BUILT_TABLES = (
    ("core", "zone_indicator_values"),
    ("core", "indicator_months"),
    ("core", "standing_months"),
    ("core", "indicator_projections"),
    ("marts", "annual_review"),
    ("marts", "target_completion"),
    ("marts", "target_projection"),
    ("marts", "project_projection"),
    ("marts", "project_investment_by_category"),
    ("marts", "project_investment_by_unit"),
    ("marts", "unit_scorecard"),
    ("marts", "submission_status"),
    ("audit", "warnings"),
    ("audit", "submission_cells"),
)
"""In dependency order; the file warehouse/<schema>/<name>.sql builds <schema>.<name>."""
VIEWS_OVER_BUILT = (("audit", "flagged_rows"), ("audit", "feedback_units"))
"""Views over the built tables, made after them."""


def model_sql(schema: str, name: str) -> str:
    return resources.files(__package__).joinpath(schema, f"{name}.sql").read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing: stored tables, raw tables per kind, core and audit views; describe each."""
    schema = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
    con.execute(schema)
    stored = {block.name: block for block in read_blocks(schema)}
    for block in stored.values():
        apply_comments(con, block)
    for kind in KINDS.values():
        columns = ", ".join(f"{name} varchar" for name in kind.column_names)
        con.execute(
            f"create table if not exists raw.{kind.name} "
            f"(sha256 varchar not null, sheet varchar, row_number integer not null, {columns}, raw json not null)"
        )
    write_reference_tables(con)
    versions = model_sql("core", "versions")
    for kind in KINDS.values():
        sql = versions.format(kind=kind.name, key=", ".join(kind.key))
        con.execute(f"create or replace view core.{kind.name} as {sql}")
        block = model_block(sql, f"core.{kind.name}")
        apply_comments(
            con, Described(block.name, block.comment, {**stored[f"staging.{kind.name}"].columns, **block.columns})
        )
    for schema_name, names in (("core", CORE_VIEWS), ("audit", AUDIT_VIEWS)):
        for name in names:
            sql = model_sql(schema_name, name)
            con.execute(f"create or replace view {schema_name}.{name} as {sql}")
            apply_comments(con, model_block(sql, f"{schema_name}.{name}"))


def build_models(
    con: duckdb.DuckDBPyConnection, due_day: int = DEFAULT_DUE_DAY, since_last_build: bool = False
) -> None:
    """Build the tables of BUILT_TABLES from core, in one transaction: every month, or with `since_last_build` (a run
    that took in files), only the months the files since the last build touched, where that is enough."""
    con.execute("set variable due_day = ?", [due_day])
    con.execute("set variable time_zone = ?", [ZONE_NAME])
    con.execute("set variable whole_number_measures = ?", [list(WHOLE_NUMBER_MEASURES)])
    con.begin()
    try:
        models = models_sha256()
        whole = choose_build_periods(con, due_day, models, since_last_build)
        for schema, name in BUILT_TABLES:
            sql = model_sql(schema, name)
            if whole or (schema, name) not in MONTHLY_TABLES:
                _drop_view(con, schema, name)
                con.execute(f"create or replace table {schema}.{name} as {sql}")
                apply_comments(con, model_block(sql, f"{schema}.{name}"))
                if schema == "marts":
                    create_rounded_view(con, f"{schema}.{name}")
            else:
                con.execute(
                    f"delete from {schema}.{name} where (year, month) in (select year, month from build_periods)"
                )
                con.execute(f"insert into {schema}.{name} by name {sql}")
            checkpoint("building-marts")
        for schema, name in VIEWS_OVER_BUILT:
            sql = model_sql(schema, name)
            con.execute(f"create or replace view {schema}.{name} as {sql}")
            apply_comments(con, model_block(sql, f"{schema}.{name}"))
        con.execute(
            "insert into audit.builds by name select coalesce(max(seq), 0) as built_through_seq, now() as built_at, "
            "? as due_day, ? as models_sha256 from audit.files",
            [due_day, models],
        )
        con.commit()
    except Exception:
        con.rollback()
        raise


def models_sha256() -> str:
    """The SHA-256 of every SQL file of the warehouse's models: what a build by month must share with the last."""
    folder = resources.files(__package__)
    files = [folder.joinpath("schema.sql")]
    files += sorted((f for layer in ("core", "marts", "audit") for f in folder.joinpath(layer).iterdir()), key=str)
    digest = hashlib.sha256()
    for file in files:
        if file.name.endswith(".sql"):
            digest.update(f"{file.parent.name}/{file.name}\0".encode() + file.read_bytes())
    return digest.hexdigest()


def _drop_view(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop the view an earlier mubiao kept in place of the table `schema.name`, if there is one."""
    if con.execute("select 1 from duckdb_views() where schema_name = ? and view_name = ?", [schema, name]).fetchall():
        con.execute(f"drop view {schema}.{name}")


def needs_build(con: duckdb.DuckDBPyConnection, due_day: int = DEFAULT_DUE_DAY) -> bool:
    """True when a file arrived after the last build, the due day changed, or a model is missing (a warehouse
    built by an earlier mubiao, say)."""
    tables = set(con.execute("select schema_name, table_name from duckdb_tables()").fetchall())
    views = set(con.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall())
    expected_views = {*VIEWS_OVER_BUILT, *(("core", name) for name in CORE_VIEWS), *(("audit", n) for n in AUDIT_VIEWS)}
    if not ({*BUILT_TABLES, ("audit", "builds"), ("audit", "files")} <= tables and expected_views <= views):
        return True
    built, built_due_day, arrived = con.execute("""
        select
            (select max(built_through_seq) from audit.builds),
            (select arg_max(due_day, built_at) from audit.builds),
            (select coalesce(max(seq), 0) from audit.files)
    """).fetchall()[0]
    return built is None or arrived > built or built_due_day != due_day
