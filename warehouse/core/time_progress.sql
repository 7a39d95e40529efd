-- @table core.time_progress 序时进度：一行一个截至月份 0–12，已过月份占全年的比例；目标、重点项目、单位考核与会议材料都取自此表
-- @model kind=view grain=month
-- @column month 截至月份：0 为年初（年度计划本身），1–12
-- @column time_progress 序时进度，比例：month / 12（0 至 1，未取整）
-- @column time_progress_pct 序时进度，百分数：month / 12 × 100，保留两位小数
-- one row per month 0–12: the share of the year gone by at its end, the bar "on track" is measured against
select
    cast(month as integer) as month,
    month / 12 as time_progress,
    round(month / 12 * 100, 2) as time_progress_pct
from range(0, 13) as months(month)
