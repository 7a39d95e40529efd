-- @table core.standing_months 会议材料所取月份：一行一个年度，数据截至哪个月、重点项目取哪个月，以及更晚月份已报的项目数
-- @model kind=table grain=year
-- @column year 年度
-- @column data_month 数据截至月份：该年中最晚的一个月，凡该月已有数据的指标都已报齐（尚无该月数据的指标不影响）；没有指标数据时为空
-- @column project_month 重点项目所取月份：数据截至月份及以前最晚的有进度报告的月份；没有指标数据时为最晚的有进度报告的月份
-- @column later_month 重点项目所取月份之后最晚的有进度报告的月份；没有则为空
-- @column later_reported 该月已报进度的项目数
-- @column projects_total 该年登记的重点项目数
-- one row per year: which month the pack's headline (数据截至) and its key projects stand on (docs/marts.md §3.5,
-- §3.6). A month stands when no indicator with data for it is partial; an indicator with nothing yet for the month
-- does not hold it back. Reports for a later month are counted beside it (N月已报 a/b 项), never taken instead.
with indicator_data as (
    select year, month, bool_and(complete) as none_partial
    from core.indicator_months
    where received > 0 or has_figure
    group by all
),

data_months as (
    select year, max(month) filter (where none_partial) as data_month from indicator_data group by year
),

report_months as (
    select year, as_of_month as month, count(*) filter (where reported_month = as_of_month) as reported
    from core.project_month_states
    where as_of_month > 0
    group by all
),

projects as (
    select year, count(*) as projects_total from core.project_month_states where as_of_month = 0 group by year
),

years as (
    select year from data_months union select year from report_months union select year from projects
),

standing as (
    select
        years.year,
        data_months.data_month,
        max(report_months.month) filter (where report_months.month <= coalesce(data_months.data_month, 12))
            as project_month
    from years
    left join data_months using (year)
    left join report_months using (year)
    group by all
),

later as (
    select standing.year, max(report_months.month) as later_month,
        arg_max(report_months.reported, report_months.month) as later_reported
    from standing
    join report_months on report_months.year = standing.year and report_months.month > coalesce(standing.project_month, 0)
    group by all
)

select
    cast(standing.year as integer) as year,
    cast(standing.data_month as integer) as data_month,
    cast(standing.project_month as integer) as project_month,
    cast(later.later_month as integer) as later_month,
    cast(later.later_reported as integer) as later_reported,
    cast(coalesce(projects.projects_total, 0) as integer) as projects_total
from standing
left join later using (year)
left join projects using (year)
order by year
