-- @table marts.project_investment_by_category 重点项目投资（按类别）：一行一个（年度，截至月份，项目类别）；截至月份 0 为年度计划本身，其余为该年有进度报告的每个月
-- @model kind=table grain=year,as_of_month,category rounded=true
-- @column year 计划年度
-- @column as_of_month 截至月份：0 为年度计划（完成投资为 0），1–12 为有进度报告的月份
-- @column category 项目类别：工业、服务业、城建、社会事业、农林水、前期
-- @column project_count 项目数
-- @column total_investment 计划总投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_category_rounded）
-- @column annual_plan 年度计划投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_category_rounded）；全为前期项目时为空
-- @column completed_ytd 截至该月本年累计完成投资合计，亿元，未取整（取整到两位的见 marts.project_investment_by_category_rounded）；截至月份 0 为 0
-- @column completion_pct 完成率，百分数：completed_ytd / annual_plan × 100，保留两位小数；年度计划为空（前期）时为空
-- @column time_progress_pct 序时进度，百分数：截至月份 / 12 × 100，保留两位小数
-- @column started_count 已开工项目数（状态为已开工、竣工或投产）
-- @column finished_count 竣工投产项目数（状态为竣工或投产）
-- @column category_order 类别的排列次序：1 工业、2 服务业、3 城建、4 社会事业、5 农林水、6 前期
-- one row per (year, as_of_month, category): the key-project plan (as_of_month 0) and its progress each reported month
select
    investment.* exclude (by_category, responsible_unit),
    categories.position as category_order
from core.project_investment as investment
left join core.code_labels as categories
    on categories.domain = 'project_category' and categories.code = investment.category
where investment.by_category
order by investment.year, investment.as_of_month, category_order
