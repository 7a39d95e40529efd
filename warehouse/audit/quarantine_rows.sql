-- one row per quarantined row, in the clerk's terms: its file by name, its row, the unit it is attributed to
-- (core.quarantine_rows), its period, every reason in full, and when the file came (core.quarantine_rows has the rest)
with quarantine as (
    select * from core.quarantine_rows
),

units as (
    select unit_code, unit_name from core.units where is_latest
),

final as (
    select
        quarantine.file_name,
        quarantine.sheet,
        cast(quarantine.row_number as integer) as row_number,
        quarantine.unit_code,
        units.unit_name,
        case when quarantine.year is not null and quarantine.month is not null
            then concat(quarantine.year, '年', quarantine.month, '月') end as period,
        quarantine.reasons,
        quarantine.received_at
    from quarantine
    left join units using (unit_code)
)

select * from final order by received_at, file_name, sheet nulls first, row_number
