-- one row per (year, month, indicator_code) that is owed or has a zone figure: how many of the submissions its
-- zone figure needs are in, and whether the month is complete (CONTRACT §3, time progress): every unit that owes
-- it has sent it — the responsible unit for `reported`, every owing unit (报送频率, 填报范围) for `sum`
with indicators as (
    select indicator_code, aggregation, responsible_unit from core.indicators where is_latest
),

owed as (
    select expected.year, expected.month, expected.item as indicator_code, expected.unit_code
    from core.expected_submissions as expected
    join indicators on indicators.indicator_code = expected.item
    where expected.kind = 'indicator_values'
        and (indicators.aggregation = 'sum' or expected.unit_code = indicators.responsible_unit)
),

sent as (
    select distinct year, month, indicator_code, unit_code from core.indicator_values where is_latest
),

counted as (
    select owed.year, owed.month, owed.indicator_code,
        count(*) as owed, count(sent.unit_code) as received
    from owed
    left join sent using (year, month, indicator_code, unit_code)
    group by all
),

figures as (
    select year, month, indicator_code from core.zone_indicator_values
),

final as (
    select
        cast(year as integer) as year,
        cast(month as integer) as month,
        indicator_code,
        cast(coalesce(counted.owed, 0) as integer) as owed,
        cast(coalesce(counted.received, 0) as integer) as received,
        coalesce(counted.received, 0) >= coalesce(counted.owed, 0) as complete,
        figures.indicator_code is not null as has_figure
    from counted
    full join figures using (year, month, indicator_code)
)

select * from final
