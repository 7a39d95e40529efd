-- one row per (indicator_code, year, month): the zone figure of CONTRACT §3 from the latest versions
with catalogue as (
    select * from core.indicators where is_latest
),

latest as (
    select * from core.indicator_values where is_latest
),

reported as (
    select latest.indicator_code, latest.year, latest.month, latest.value, latest.yoy_pct, 1 as units_reporting
    from latest
    join catalogue
        on catalogue.indicator_code = latest.indicator_code
        and catalogue.aggregation = 'reported'
        and catalogue.responsible_unit = latest.unit_code
),

summed as (
    select latest.indicator_code, latest.year, latest.month,
        cast(sum(cast(latest.value as decimal(38, 8))) as double) as value, count(*) as units_reporting
    from latest
    join catalogue
        on catalogue.indicator_code = latest.indicator_code
        and catalogue.aggregation = 'sum'
    group by all
),

summed_with_growth as (
    select
        summed.indicator_code, summed.year, summed.month, summed.value,
        round((summed.value / nullif(prior.value, 0) - 1) * 100, 2) as yoy_pct,
        summed.units_reporting
    from summed
    left join summed as prior
        on prior.indicator_code = summed.indicator_code
        and prior.year = summed.year - 1
        and prior.month = summed.month
),

final as (
    select
        zone.indicator_code,
        catalogue.indicator_name,
        cast(zone.year as integer) as year,
        cast(zone.month as integer) as month,
        cast(zone.value as double) as value,
        catalogue.measure,
        cast(zone.yoy_pct as double) as yoy_pct,
        catalogue.aggregation,
        cast(zone.units_reporting as integer) as units_reporting
    from (select * from reported union all by name select * from summed_with_growth) as zone
    join catalogue using (indicator_code)
)

select * from final
