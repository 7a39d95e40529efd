-- one row per (year, indicator_code) with a full-year value: the figures a bulletin prints
with zone as (
    select * from core.zone_indicator_values where month = 12
),

final as (
    select
        year,
        indicator_code,
        indicator_name,
        value,
        measure,
        yoy_pct
    from zone
)

select * from final order by year, indicator_code
