-- @table core.indicator_months 指标月份齐全情况：一行一个应报或已有全区数的（年，月，指标），全区数所需的报送收到几份、该月是否完整
-- @model kind=table_by_month grain=year,month,indicator_code parameters=params.build_months
-- @column year 年份
-- @column month 月份 1–12
-- @column indicator_code 指标代码
-- @column owed 全区数需要的报送份数：reported 指标为责任单位 1 份，sum 指标为每个应报单位各 1 份
-- @column received 其中已收到的份数
-- @column complete 是否完整：应报的都已收到（received ≥ owed）
-- @column has_figure 是否已有全区数（core.zone_indicator_values 中有该月）
-- one row per (year, month, indicator_code) that is owed or has a zone figure: how many of the submissions its
-- zone figure needs are in, and whether the month is complete (docs/marts.md §3.5): every unit that owes
-- it has sent it — the responsible unit for `reported`, every owing unit (报送频率, 填报范围) for `sum`
with indicators as (
    select indicator_code, aggregation, responsible_unit from core.indicators where is_latest
),

owed as (
    select expected.year, expected.month, expected.item as indicator_code, expected.unit_code
    from core.expected_submissions as expected
    join indicators on indicators.indicator_code = expected.item
    where expected.kind = 'indicator_values'
        and (expected.year, expected.month) in (select year, month from params.build_months)
        and (indicators.aggregation = 'sum' or expected.unit_code = indicators.responsible_unit)
),

versions as materialized (  -- the months being built, taken apart from is_latest (core.zone_indicator_values)
    select * from core.indicator_values where (year, month) in (select year, month from params.build_months)
),

sent as (
    select distinct year, month, indicator_code, unit_code from versions where is_latest
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
    where (year, month) in (select year, month from params.build_months)
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
