-- The warehouse's stored tables: audit ledger, quarantine, and typed staging rows.
-- raw.<kind> tables are made from pipelines/kinds.py (one text column per contract column).
-- core, marts and audit.warnings are models: see warehouse/core, warehouse/marts, warehouse/audit.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists marts;
create schema if not exists audit;

create table if not exists audit.files (
    seq              bigint primary key,      -- arrival order; the latest file wins
    file_name        varchar not null,
    sha256           varchar not null,
    kind             varchar,
    received_at      timestamptz not null,
    status           varchar not null check (status in ('loaded', 'duplicate', 'unreadable')),
    rows_total       integer not null,
    rows_loaded      integer not null,
    rows_quarantined integer not null,
    error            varchar,
    size_bytes       bigint not null
);

create table if not exists audit.skipped (  -- one row per entry the latest run passed over on purpose
    name    varchar not null,                 -- its path under the inbox (a folder ends with /)
    reason  varchar not null,                 -- why, in the office's words
    seen_at timestamptz not null
);

create table if not exists audit.quarantine (
    sha256     varchar not null,
    sheet      varchar,
    row_number integer not null,
    kind       varchar not null,
    reasons    varchar not null,
    raw        json not null,
    unit_code  varchar,                       -- the unit the row names, as resolved (core.quarantine_rows attributes the rest)
    year       integer,
    month      integer
);

create table if not exists audit.validations (
    sha256           varchar not null,        -- one row per (file, expectation of its kind's suite)
    kind             varchar not null,
    suite            varchar not null,
    expectation      varchar not null,
    column_name      varchar,
    success          boolean not null,
    unexpected_count integer not null,
    run_at           timestamptz not null
);

create table if not exists audit.builds (
    built_through_seq bigint not null,        -- marts reflect every file up to this seq
    built_at          timestamptz not null,
    due_day           integer not null        -- submissions are due on this day of the following month
);

create table if not exists staging.units (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    unit_code varchar not null, unit_name varchar not null, unit_type varchar not null
);

create table if not exists staging.indicators (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    indicator_code varchar not null, indicator_name varchar not null, measure varchar not null,
    aggregation varchar not null, responsible_unit varchar not null,
    reporting_months varchar,                 -- months a value is due, e.g. '3,6,9,12'; NULL: every month
    reporting_units varchar                   -- unit types and codes, e.g. '乡镇街道'; NULL: the default
);

create table if not exists staging.indicator_values (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    unit_code varchar not null, indicator_code varchar not null, year integer not null, month integer not null,
    value double not null, measure varchar not null, value_sent double not null, measure_sent varchar not null,
    yoy_pct double, note varchar
);

create table if not exists staging.targets (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    year integer not null, indicator_code varchar not null, target_text varchar not null,
    target_type varchar not null, target_value double, tolerance double, reference_code varchar,
    responsible_unit varchar, outcome varchar
);

create table if not exists staging.projects (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    year integer not null, project_code varchar not null, project_name varchar not null,
    category varchar not null, owner varchar, responsible_unit varchar not null,
    total_investment double not null, annual_plan double, batch varchar, planned_start_month integer
);

create table if not exists staging.project_progress (
    sha256 varchar not null, sheet varchar, row_number integer not null,
    project_code varchar not null, year integer not null, month integer not null,
    completed_ytd double not null, status varchar, start_date date, note varchar
);
