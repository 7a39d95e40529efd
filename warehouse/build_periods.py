"""The months a build rewrites, in the parameter table `params.build_months (year, month)`.

The models kept by month say `kind=table_by_month` in their headers (warehouse/model_files.py): each of their rows
belongs to one (year, month) and is worked out from the rows of that month and the earlier months of its year, the
reference tables, and, for growth, the same month a year before. When every file loaded since the last build carries indicator values or project progress, a
build rewrites only:
- the months those files' rows fall in (loaded or quarantined) or an unreadable new file's name names, and the
  later months of the same year, which a cumulative value is compared with (audit.warnings);
- the same months a year later, whose growth compares with them;
- the months that become owed because the range of reported months grew (a month skipped, now in range).

For the month an office takes in each month, that is the new month alone.

Anything else (a reference file, another due day, other models than the last build's, as after an upgrade, a
warehouse without the last build's tables, a restated month) rewrites every month. Over-including a month costs time only; the month-by-month test compares with one run.
"""

from __future__ import annotations

import duckdb

from mubiao.foundation.kinds import monthly_kinds

_NEW_FILES = """
    select sha256, kind from audit.files
    where status = 'loaded' and seq > (select max(built_through_seq) from audit.builds)
"""


def choose_build_periods(
    con: duckdb.DuckDBPyConnection, due_day: int, models: str, built: list[str], since_last_build: bool
) -> bool:
    """Fill params.build_months; True when it holds every month (a whole rebuild), False when only those touched.
    `models` is the models' fingerprint (warehouse.model_files.models_sha256): other models than the last build's
    rebuild every month; `built` names the models that are tables (schema.name), which must all be there."""
    whole = not (since_last_build and _can_build_months_only(con, due_day, models, built))
    kinds = monthly_kinds()
    con.execute("delete from params.build_months")
    months = _all_months(kinds) if whole else _touched_months(kinds, _unreadable_arrived(con))
    con.execute(f"insert into params.build_months {months}")
    return whole


def _unreadable_arrived(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether an unreadable file arrived since the last build: only then is core.arrivals read, whose period of
    each file (from its name) costs a pass over every file received and every quarantined row (0.3 s at M)."""
    return con.execute(
        "select exists (select 1 from audit.files where status = 'unreadable' "
        "and seq > (select max(built_through_seq) from audit.builds))"
    ).fetchone()[0]


def _can_build_months_only(con: duckdb.DuckDBPyConnection, due_day: int, models: str, built: list[str]) -> bool:
    tables = {
        name for (name,) in con.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall()
    }
    if not set(built) <= tables:
        return False
    [(last_due_day, last_models, other_kinds)] = con.execute(
        f"""
        select
            (select arg_max(due_day, built_at) from audit.builds),
            (select arg_max(models_sha256, built_at) from audit.builds),
            (select count(*) from ({_NEW_FILES}) where not list_has_all($kinds, string_split(coalesce(kind, ''), ',')))
        """,
        {"kinds": list(monthly_kinds())},
    ).fetchall()
    return last_due_day == due_day and last_models == models and other_kinds == 0


def _all_months(kinds: tuple[str, ...]) -> str:
    years = "".join(f"select distinct year from staging.{kind}\n        union " for kind in kinds)
    return f"""
    select distinct year, unnest(range(1, 13)) as month
    from (
        {years}select distinct year from audit.quarantine where year is not null
    )
"""


_NAMED = """
        union select distinct year, month from core.arrivals
        where status = 'unreadable' and seq > (select max(built_through_seq) from audit.builds) and month is not null"""
"""The months the names of the unreadable files since the last build name (core.arrivals reads them)."""


def _touched_months(kinds: tuple[str, ...], unreadable: bool) -> str:
    """The months the files since the last build touched, the rest of their year, the same months a year later
    and the months newly owed, of the kinds kept by month (`kinds`); with `unreadable`, the months the names of
    the unreadable files among them name."""
    staged = "".join(
        f"select distinct year, month from staging.{kind} where sha256 in (select sha256 from new_files)\n        union "
        for kind in kinds
    )
    ranges = "\n        union all\n        ".join(
        f"select year, '{kind}' as kind, min(month) as first, max(month) as last from staging.{kind} group by year"
        for kind in kinds
    )
    return f"""
    with new_files as ({_NEW_FILES}),

    {_quarantined_months(kinds)}

    touched as (
        {staged}select distinct year, month from quarantined_months
        where year is not null and month between 1 and 12{_NAMED if unreadable else ""}
    ),

    ranges as (  -- the months core.expected_submissions spans, by year and kind
        {ranges}
    ),

    newly_owed as (
        select year, unnest(range(first, last + 1)) as month, kind from ranges
        except
        select year, month, kind from marts.submission_status
    )

    select year, unnest(range(min(month), 13)) as month from touched group by year
    union select year + 1, month from touched
    union select year, month from newly_owed
"""


def _quarantined_months(kinds: tuple[str, ...]) -> str:
    """The CTE `quarantined_months`, a superset of the months core.quarantine_rows gives the rows of the new files
    that were quarantined, without working out every quarantined row of the history (0.25 s at M): a row's own
    period, else one of its file's rows' (that view takes the most common there)."""
    file_rows = "".join(
        f"select sha256, year, month from staging.{kind} where sha256 in (select sha256 from quarantined)\n"
        "        union all "
        for kind in kinds
    )
    return f"""quarantined as (
        select sha256, year, month from audit.quarantine where sha256 in (select sha256 from new_files)
    ),

    file_rows as (  -- the rows of the files among them, as core.quarantine_rows reads them
        {file_rows}select sha256, year, month from quarantined
    ),

    quarantined_months as (
        select year, month from quarantined where year is not null and month is not null
        union all
        select coalesce(quarantined.year, file_rows.year), file_rows.month
        from quarantined join file_rows using (sha256)
        where (quarantined.year is null or quarantined.month is null)
            and file_rows.year is not null and file_rows.month is not null
    ),"""
