-- @table marts.annual_review 年度主要指标：一行一个有全年值的（年度，指标），即简报所写的数（全区生产总值124.3亿元，比上年增长9.9%）
-- @model kind=table grain=year,indicator_code rounded=true
-- @column year 年度
-- @column indicator_code 指标代码
-- @column indicator_name 指标名称
-- @column value 全年值（1–12 月累计），单位见 measure，未取整（取整到两位的见 marts.annual_review_rounded）
-- @column measure 计量单位（指标目录的规范单位；货币为亿元，外币为万美元）
-- @column yoy_pct 同比增长，百分数（9.9 即 9.9%）
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
