-- @table core.zone_indicator_values 全区数：一行一个（指标，年，月）的全区累计值，取各单位最新版本：reported 指标取责任单位报送值，sum 指标为各单位之和
-- @model kind=table_by_month grain=indicator_code,year,month parameters=params.build_months
-- @column indicator_code 指标代码
-- @column indicator_name 指标名称
-- @column year 年份
-- @column month 月份 1–12：1 月至该月的累计
-- @column value 全区本年累计值，单位见 measure
-- @column measure 计量单位（指标目录的规范单位；货币为亿元，外币为万美元）
-- @column yoy_pct 同比增长，百分数（9.9 即 9.9%）：reported 指标取报送值；sum 指标按上年同月之和计算，保留两位小数，上年缺数时为空
-- @column aggregation 汇总方式：reported 取责任单位报送值，sum 各单位之和
-- @column units_reporting 构成全区数的单位数（reported 指标为 1）
-- one row per (indicator_code, year, month): the zone figure of docs/marts.md §3.3 from the latest versions
with catalogue as (
    select * from core.indicators where is_latest
),

versions as materialized (  -- the months being built (params.build_months) and, for growth, the same months a year
    -- before, taken apart from is_latest: DuckDB then picks the months before it works out the latest versions
    select * from core.indicator_values
    where (year, month) in (
        select year, month from params.build_months union select year - 1, month from params.build_months
    )
),

latest as (
    select * from versions where is_latest
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
    where (zone.year, zone.month) in (select year, month from params.build_months)
)

select * from final
