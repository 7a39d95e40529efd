-- @table marts.project_investment_by_unit 重点项目投资（按责任单位）：一行一个（年度，截至月份，责任单位）；截至月份 0 为年度计划本身
-- @model kind=table grain=year,as_of_month,responsible_unit rounded=true
-- @column year 计划年度
-- @column as_of_month 截至月份：0 为年度计划（完成投资为 0），1–12 为有进度报告的月份
-- @column responsible_unit 责任单位的单位代码
-- @column unit_name 责任单位名称
-- @column project_count 项目数
-- @column total_investment 计划总投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_unit_rounded）
-- @column annual_plan 年度计划投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_unit_rounded）；全为前期项目时为空
-- @column completed_ytd 截至该月本年累计完成投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_unit_rounded）；截至月份 0 为 0
-- @column completion_pct 完成率，百分数：completed_ytd / annual_plan × 100，保留两位小数；年度计划为空（前期）时为空
-- @column time_progress_pct 序时进度，百分数：截至月份 / 12 × 100，保留两位小数
-- @column started_count 已开工项目数（状态为已开工、竣工或投产）
-- @column finished_count 竣工投产项目数（状态为竣工或投产）
-- one row per (year, as_of_month, responsible_unit): key-project investment by the unit answerable for it
with units as (
    select unit_code, unit_name from core.units where is_latest
)

select
    investment.year,
    investment.as_of_month,
    investment.responsible_unit,
    units.unit_name,
    investment.* exclude (year, as_of_month, by_category, category, responsible_unit)
from core.project_investment as investment
left join units on units.unit_code = investment.responsible_unit
where not investment.by_category
order by investment.year, investment.as_of_month, investment.responsible_unit
