-- @table core.project_investment 重点项目投资汇总：一行一个（年度，截至月份，项目类别）或（年度，截至月份，责任单位），按类别与按责任单位两张数据集市的共同来源
-- @model kind=view grain=year,as_of_month,by_category,category,responsible_unit
-- @column year 计划年度
-- @column as_of_month 截至月份：0 为年度计划（完成投资为 0），1–12 为有进度报告的月份
-- @column by_category 是否为按类别的汇总行（否则为按责任单位的）
-- @column category 项目类别（按类别的汇总行）；按责任单位的为空
-- @column responsible_unit 责任单位的单位代码（按责任单位的汇总行）；按类别的为空
-- @column project_count 项目数
-- @column total_investment 计划总投资合计，亿元，未取整
-- @column annual_plan 年度计划投资合计，亿元，未取整；全为前期项目时为空
-- @column completed_ytd 截至该月本年累计完成投资合计，亿元，未取整；截至月份 0 为 0
-- @column completion_pct 完成率，百分数：completed_ytd / annual_plan × 100，保留两位小数；年度计划为空（前期）时为空
-- @column time_progress_pct 序时进度，百分数（core.time_progress）
-- @column started_count 已开工项目数（状态为已开工、竣工或投产）
-- @column finished_count 竣工投产项目数（状态为竣工或投产）
-- one row per (year, as_of_month, category) and per (year, as_of_month, responsible_unit): the two investment marts' sums
select
    cast(year as integer) as year,
    cast(as_of_month as integer) as as_of_month,
    grouping(category) = 0 as by_category,
    category,
    responsible_unit,
    cast(count(*) as integer) as project_count,
    cast(sum(total_investment) as double) as total_investment,
    cast(sum(annual_plan) as double) as annual_plan,
    cast(sum(completed_ytd) as double) as completed_ytd,
    cast(round(sum(completed_ytd) / nullif(sum(annual_plan), 0) * 100, 2) as double) as completion_pct,
    any_value(time_progress_pct) as time_progress_pct,
    cast(count(*) filter (where started) as integer) as started_count,
    cast(count(*) filter (where finished) as integer) as finished_count
from core.project_month_states
group by grouping sets ((year, as_of_month, category), (year, as_of_month, responsible_unit))
