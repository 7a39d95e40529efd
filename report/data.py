"""The marts of one year as plain Python: everything the pack prints, and nothing it computes itself.

As of an earlier month (`--as-of`), the month-dependent marts are rebuilt by their own
model files in a scratch in-memory database over the warehouse (attached read-only), with
the year's figures cut at that month (docs/marts.md §3.5: as-of is a month of data, never the wall clock).
Those are the models whose header says `kind=table`: a table kept by month holds each month's rows apart, so it
is read as built (cut at the month where CUT_AT_MONTH says); a whole table is worked out across the months, so it
is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mubiao.foundation.catalog import has_table
from mubiao.foundation.errors import MubiaoError, require_warehouse
from mubiao.warehouse.published import connect_published

MIRRORED_SCHEMAS = ("raw", "staging", "core", "marts", "audit", "params")
CUT_AT_MONTH = {  # core view → its month column: rows of the year after the as-of month are left out
    ("core", "zone_indicator_values"): "month",
    ("core", "project_month_states"): "as_of_month",
    ("core", "project_investment"): "as_of_month",
    ("core", "indicator_months"): "month",
}


@dataclass
class Pack:
    """One year's pack: rows of the marts, in the order the office reads them."""

    year: int
    as_of_month: int
    project_month: int | None
    later_month: int | None
    """The latest month after project_month with progress reports, shown beside it (N月已报 a/b 项)."""
    later_reported: int | None
    projects_total: int
    headline: list[dict]
    annual: list[dict]
    targets: list[dict]
    plan: list[dict]
    by_category: list[dict]
    by_unit: list[dict]
    scorecard: list[dict]
    projects_behind: list[dict]
    projects_unreported: list[dict]
    files: list[dict]
    quarantined: int
    warnings: int
    submissions: list[dict] | None = field(default=None)
    time_progress: dict[int, float] = field(default_factory=dict)
    """month → 序时进度 as a percentage, from core.time_progress."""
    projections: list[dict] = field(default_factory=list)
    """marts.target_projection at the month each target stands on, in the targets' order (预计全年)."""
    projection_paths: dict[str, list[dict]] = field(default_factory=dict)
    """indicator_code → its projections month by month, for the chart."""
    projects_at_risk: list[dict] = field(default_factory=list)
    """marts.project_projection at the projects' month: 预计难以完成, largest shortfall first."""
    risks: list[dict] = field(default_factory=list)
    """Targets and projects projected to miss, with their units, largest gap (as % of target or plan) first."""

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def time_progress_pct(self) -> float:
        """序时进度 of the month the pack's figures stand on."""
        return self.time_progress[self.as_of_month]

    @property
    def project_time_progress_pct(self) -> float | None:
        """序时进度 of the projects' latest month; None before any progress report."""
        return self.time_progress[self.project_month] if self.project_month else None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[dict]:
    cursor = con.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _value(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    return con.execute(sql, list(params)).fetchone()[0]


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    require_warehouse(warehouse)
    return connect_published(warehouse)


def latest_year(warehouse: Path) -> int | None:
    """The latest year that has a target, a project or a full-year figure."""
    with _connect(warehouse) as con:
        return _value(
            con,
            """
            select max(year) from (
                select year from marts.target_completion union all
                select year from marts.project_investment_by_category union all
                select year from marts.annual_review)""",
        )


def _latest_month(con: duckdb.DuckDBPyConnection, year: int) -> int:
    return _value(
        con,
        """
        select coalesce(max(m), 0) from (
            select month as m from core.zone_indicator_values where year = ? union all
            select as_of_month from marts.project_investment_by_category where year = ?)""",
        year,
        year,
    )


def _as_of(warehouse: Path, year: int, month: int) -> duckdb.DuckDBPyConnection:
    """A scratch database whose marts are rebuilt from the warehouse's core, cut at (year, month)."""
    from mubiao.warehouse.dictionary import TABLE
    from mubiao.warehouse.model_files import read_models

    con = duckdb.connect()
    con.execute("attach ? as wh (read_only)", [str(warehouse)])
    relations = con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = 'wh' "
        "and table_schema in (select unnest(?))",
        [list(MIRRORED_SCHEMAS)],
    ).fetchall()
    rebuilt = [model for model in read_models() if model.kind == TABLE]  # in build order
    for schema in MIRRORED_SCHEMAS:
        con.execute(f'create schema "{schema}"')
    for schema, name in relations:
        if f"{schema}.{name}" in {model.name for model in rebuilt}:
            continue
        source = f'wh."{schema}"."{name}"'
        column = CUT_AT_MONTH.get((schema, name))
        if column:
            con.execute(
                f'create table "{schema}"."{name}" as select * from {source} where not (year = ? and {column} > ?)',
                [year, month],
            )
        else:
            con.execute(f'create view "{schema}"."{name}" as select * from {source}')
    for model in rebuilt:
        con.execute(f"create table {model.name} as {model.sql}")
    return con


def load_pack(warehouse: Path, year: int, as_of_month: int | None = None) -> Pack:
    """Read `year`'s pack from the warehouse, as of its latest month or as of `as_of_month`."""
    with _connect(warehouse) as con:  # one connection for the latest pack: opening the file costs about 30 ms
        latest = _latest_month(con, year)
        has_year = _value(
            con,
            """
            select count(*) from (
                select year from marts.unit_scorecard union all
                select year + 1 from marts.annual_review union all select year from marts.annual_review)
            where year = ?""",
            year,
        )
        if not has_year:
            raise MubiaoError(f"仓库中没有 {year} 年的数据")
        if as_of_month is not None and not 1 <= as_of_month <= 12:
            raise MubiaoError(f"截至月份应在 1–12 之间：{as_of_month}")
        if as_of_month is None or as_of_month >= latest:
            return _read(con, year, latest)
    with _as_of(warehouse, year, as_of_month) as scratch:
        return _read(scratch, year, as_of_month)


def _read(con: duckdb.DuckDBPyConnection, year: int, as_of_month: int) -> Pack:
    standing = _rows(con, "select * from core.standing_months where year = ?", year)
    standing = standing[0] if standing else {}
    project_month = standing.get("project_month")
    return Pack(
        year=year,
        as_of_month=standing.get("data_month") or as_of_month,
        project_month=project_month,
        later_month=standing.get("later_month"),
        later_reported=standing.get("later_reported"),
        projects_total=standing.get("projects_total") or 0,
        headline=_annual(con, year - 1),
        annual=_annual(con, year),
        targets=_targets(con, year),
        plan=_by_category(con, year, 0),
        by_category=_by_category(con, year, project_month or 0),
        by_unit=_rows(
            con,
            """
            select * from marts.project_investment_by_unit
            where year = ? and as_of_month = ? order by responsible_unit""",
            year,
            project_month or 0,
        ),
        scorecard=_rows(con, "select * from marts.unit_scorecard where year = ? order by unit_code", year),
        projects_behind=_project_states(con, year, project_month, "behind"),
        projects_unreported=_project_states(con, year, project_month, "not reported"),
        files=_rows(  # audit.files' own columns: core.arrivals adds the senders, periods and superseded rows (of
            # every quarantined row: 70 ms of a monthly S pack), which the pack does not print
            con,
            "select file_name, kind, status, rows_total, rows_loaded, rows_quarantined, error from audit.files order by seq",
        ),
        quarantined=_value(con, "select count(*) from audit.quarantine"),
        warnings=_value(con, "select count(*) from audit.warnings"),
        submissions=_submissions(con, year, as_of_month),
        time_progress=dict(con.execute("select month, time_progress_pct from core.time_progress").fetchall()),
        **_projections(con, year, project_month),
    )


def _projections(con: duckdb.DuckDBPyConnection, year: int, project_month: int | None) -> dict:
    """The pack's 预计全年: each target's projection, its path, the projects at risk and the risk list."""
    if not has_table(con, "marts", "target_projection"):
        return {}
    paths = _rows(
        con,
        """
        select indicator_code, as_of_month, actual_value, actual_yoy_pct, projected_value, projected_yoy_pct,
            projected_yoy_low, projected_yoy_high
        from marts.target_projection where year = ? and actual_value is not null order by as_of_month""",
        year,
    )
    by_code: dict[str, list[dict]] = {}
    for row in paths:
        by_code.setdefault(row.pop("indicator_code"), []).append(row)
    at_risk = _rows(
        con,
        """
        select projection.*, units.unit_name
        from marts.project_projection as projection
        left join core.units as units on units.unit_code = projection.responsible_unit and units.is_latest
        where projection.year = ? and projection.as_of_month = ? and projection.at_risk
        order by projection.shortfall_pct desc, projection.project_code""",
        year,
        project_month or 0,
    )
    projections = _in_target_order(con, "target_projection", year, "and mart.is_standing")
    risks = [
        {
            "kind": "目标",
            "name": t["indicator_name"],
            "unit": t["responsible_unit_name"] or t["responsible_unit"],
            "gap_pct": t["projected_gap_pct"],
            "row": t,
        }
        for t in projections
        if t["projected_status"] == "likely_missed"
    ] + [
        {
            "kind": "重点项目",
            "name": p["project_name"],
            "unit": p["unit_name"] or p["responsible_unit"],
            "gap_pct": p["shortfall_pct"],
            "row": p,
        }
        for p in at_risk
    ]
    risks.sort(key=lambda r: -r["gap_pct"])
    return {"projections": projections, "projection_paths": by_code, "projects_at_risk": at_risk, "risks": risks}


def _by_category(con: duckdb.DuckDBPyConnection, year: int, month: int) -> list[dict]:
    """project_investment_by_category rows of `year` as of `month` (0: the plan), in the work report's order."""
    return _rows(
        con,
        """
        select * exclude (category_order) from marts.project_investment_by_category
        where year = ? and as_of_month = ? order by category_order""",
        year,
        month,
    )


def _annual(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """annual_review rows of `year`, in the catalogue's own order (as a bulletin lists them)."""
    return _rows(
        con,
        """
        select review.* from marts.annual_review as review
        left join core.indicators as catalogue on catalogue.indicator_code = review.indicator_code and catalogue.is_latest
        where review.year = ?
        order by catalogue.seq, catalogue.sheet, catalogue.row_number, review.indicator_code""",
        year,
    )


def _targets(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """target_completion rows of `year` with the responsible unit's name, in the targets file's order."""
    return _in_target_order(con, "target_completion", year)


def _in_target_order(con: duckdb.DuckDBPyConnection, mart: str, year: int, condition: str = "") -> list[dict]:
    """Rows of the per-target `mart` for `year` (and `condition` on it, as `mart`), with the responsible unit's
    name, in the targets file's order."""
    return _rows(
        con,
        f"""
        select mart.*, units.unit_name as responsible_unit_name
        from marts.{mart} as mart
        left join core.targets as targets
            on targets.year = mart.year and targets.indicator_code = mart.indicator_code and targets.is_latest
        left join core.units as units on units.unit_code = mart.responsible_unit and units.is_latest
        where mart.year = ? {condition}
        order by targets.seq, targets.sheet, targets.row_number, mart.indicator_code""",
        year,
    )


def _project_states(con: duckdb.DuckDBPyConnection, year: int, month: int | None, which: str) -> list[dict]:
    """The projects at `month` (core.project_month_states, the scorecard's rule too) for which `which` holds:
    `behind` (worst first) or `not reported` (by code); reported_month says where a figure was carried from."""
    if not month:
        return []
    return _rows(
        con,
        f"""
        select states.project_code, states.project_name, states.category, states.responsible_unit,
            units.unit_name, cast(states.annual_plan as double) as annual_plan,
            cast(states.completed_ytd as double) as completed_ytd,
            states.completion_pct, states.time_progress_pct, states.status, states.reported_month
        from core.project_month_states as states
        left join core.units as units on units.unit_code = states.responsible_unit and units.is_latest
        where states.year = ? and states.as_of_month = ? and {which}
        order by completion_pct, states.project_code""",
        year,
        month,
    )


def _submissions(con: duckdb.DuckDBPyConnection, year: int, month: int) -> list[dict] | None:
    """marts.submission_status rows up to the as-of month that are not complete; None where it is not tracked."""
    if not has_table(con, "marts", "submission_status"):
        return None
    return _rows(
        con,
        """
        select * from marts.submission_status
        where year = ? and month <= ? and status <> 'complete'
        order by month, unit_code, kind""",
        year,
        month,
    )
