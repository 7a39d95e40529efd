-- @table core.indicator_projections 全年预计：一行一个有全区数的（指标，年，月），按该月累计值预计全年：有往年逐月数时用季节占比法（本年累计 ÷ 往年同月累计占全年之比的平均），否则按序时（本年累计 × 12 ÷ 月份）；同比增长按本年累计增长预计，并给出往年（全年增长 − 同月累计增长）的区间
-- @model kind=table grain=indicator_code,year,month
-- @column indicator_code 指标代码
-- @column year 年份
-- @column month 月份 1–12：预计所依据的累计月份
-- @column value 该月的全区本年累计值，单位见 measure
-- @column yoy_pct 该月的全区累计同比增长，百分数（9.9 即 9.9%）
-- @column prior_years 季节占比所用的往年数：该指标同月与全年（12 月）都有全区数、全年值大于 0 的往年
-- @column seasonal_share 季节占比：各往年同月累计值 ÷ 该年全年值的平均；没有往年时为空
-- @column seasonal_value 季节占比法的全年预计值：value ÷ seasonal_share，单位见 measure；没有往年时为空
-- @column pace_value 按序时的全年预计值：value × 12 ÷ month，单位见 measure
-- @column projected_value 全年预计值：有季节占比用季节占比法，否则按序时（见 method），单位见 measure，未取整
-- @column method 预计方法：seasonal_share 季节占比（有往年逐月数），pace 按序时（没有往年逐月数）
-- @column growth_years 增长区间所用的往年数：同月累计增长与全年增长都有的往年
-- @column growth_spread_low 往年（全年增长 − 同月累计增长）的最小值，百分点；没有往年时为空
-- @column growth_spread_high 往年（全年增长 − 同月累计增长）的最大值，百分点；没有往年时为空
-- @column previous_value 上年全年全区值（上年 12 月累计），单位见 measure；上年缺数时为空
-- @column measure 计量单位（指标目录的规范单位）
-- one row per (indicator_code, year, month) with a zone figure: its full-year projection (docs/marts.md §3.8).
-- Every earlier year with the same month and a full year counts as a prior year.
with zone as (
    select indicator_code, year, month, value, yoy_pct, measure from core.zone_indicator_values
),

full_year as (
    select indicator_code, year, value as full_value, yoy_pct as full_yoy_pct from zone where month = 12
),

prior as (
    select
        zone.indicator_code,
        zone.year,
        zone.month,
        count(*) filter (where full_year.full_value > 0) as prior_years,
        avg(earlier.value / full_year.full_value) filter (where full_year.full_value > 0) as seasonal_share,
        count(full_year.full_yoy_pct - earlier.yoy_pct) as growth_years,
        min(full_year.full_yoy_pct - earlier.yoy_pct) as growth_spread_low,
        max(full_year.full_yoy_pct - earlier.yoy_pct) as growth_spread_high
    from zone
    join zone as earlier
        on earlier.indicator_code = zone.indicator_code and earlier.month = zone.month and earlier.year < zone.year
    join full_year on full_year.indicator_code = earlier.indicator_code and full_year.year = earlier.year
    group by all
),

projected as (
    select
        zone.indicator_code,
        cast(zone.year as integer) as year,
        cast(zone.month as integer) as month,
        cast(zone.value as double) as value,
        cast(zone.yoy_pct as double) as yoy_pct,
        cast(coalesce(prior.prior_years, 0) as integer) as prior_years,
        prior.seasonal_share,
        cast(zone.value as double) / nullif(prior.seasonal_share, 0) as seasonal_value,
        cast(zone.value as double) * 12 / zone.month as pace_value,
        cast(coalesce(prior.growth_years, 0) as integer) as growth_years,
        cast(prior.growth_spread_low as double) as growth_spread_low,
        cast(prior.growth_spread_high as double) as growth_spread_high,
        cast(previous.full_value as double) as previous_value,
        zone.measure
    from zone
    left join prior using (indicator_code, year, month)
    left join full_year as previous on previous.indicator_code = zone.indicator_code and previous.year = zone.year - 1
)

select
    indicator_code, year, month, value, yoy_pct, prior_years, seasonal_share, seasonal_value, pace_value,
    coalesce(seasonal_value, pace_value) as projected_value,
    case when seasonal_value is null then 'pace' else 'seasonal_share' end as method,
    growth_years, growth_spread_low, growth_spread_high, previous_value, measure
from projected
order by indicator_code, year, month
