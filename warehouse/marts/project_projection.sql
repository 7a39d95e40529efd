-- @table marts.project_projection 重点项目全年预计：一行一个（年度，截至月份，项目），完成年度计划尚需的剩余月均投资（剩余月均需完成），与本年已报的最高月完成相比；需要的超过最高月完成的项目为预计难以完成
-- @model kind=table grain=year,as_of_month,project_code rounded=true
-- @column year 计划年度
-- @column as_of_month 截至月份 1–12：该年有进度报告的月份（同 core.project_month_states）
-- @column project_code 项目编号
-- @column project_name 项目名称
-- @column category 项目类别
-- @column responsible_unit 责任单位的单位代码
-- @column annual_plan 年度计划投资，亿元；前期项目为空
-- @column completed_ytd 截至该月本年累计完成投资，亿元（结转规则同 core.project_month_states）
-- @column reported_month 所取进度报告的月份；尚无报告为空（未报送）
-- @column remaining_plan 尚需完成投资，亿元：annual_plan − completed_ytd，已完成为 0；前期项目为空
-- @column months_left 本年剩余月数：12 − as_of_month
-- @column monthly_need 剩余月均需完成，亿元/月：remaining_plan ÷ months_left；12 月或前期项目为空
-- @column best_month_value 本年最高月完成，亿元/月：本项目相邻两次进度报告之间每月的完成投资（首次报告从 1 月算起）的最大值；尚无报告为空
-- @column best_month 最高月完成所在的报告月份
-- @column projected_shortfall 按最高月完成干到年底仍差的投资，亿元：annual_plan − (completed_ytd + best_month_value × months_left)，不差为 0；尚无报告或前期项目为空
-- @column shortfall_pct 仍差投资占年度计划的百分数：projected_shortfall ÷ annual_plan × 100
-- @column at_risk 是否预计难以完成：已有本项目的进度报告、有年度计划、本年还有剩余月份，且剩余月均需完成高于本年最高月完成
-- one row per (year, as_of_month, project_code) with progress reports that year: what each month must bring to reach
-- the annual plan, against the best month so far (docs/marts.md §3.8)
with states as (
    select * from core.project_month_states where as_of_month > 0
),

reports as (  -- the project's own reports: the state of a month whose report it took
    select year, project_code, reported_month, completed_ytd from states where reported_month = as_of_month
),

paces as (
    select
        *,
        (completed_ytd - coalesce(lag(completed_ytd) over own, 0))
            / (reported_month - coalesce(lag(reported_month) over own, 0)) as month_value
    from reports
    window own as (partition by year, project_code order by reported_month)
),

best as (
    select
        year,
        project_code,
        reported_month,
        max(month_value) over upto as best_month_value,
        arg_max(reported_month, month_value) over upto as best_month
    from paces
    window upto as (partition by year, project_code order by reported_month rows unbounded preceding)
),

needs as (
    select
        states.year,
        states.as_of_month,
        states.project_code,
        states.project_name,
        states.category,
        states.responsible_unit,
        cast(states.annual_plan as double) as annual_plan,
        cast(states.completed_ytd as double) as completed_ytd,
        states.reported_month,
        cast(greatest(states.annual_plan - states.completed_ytd, 0) as double) as remaining_plan,
        12 - states.as_of_month as months_left,
        cast(best.best_month_value as double) as best_month_value,
        best.best_month
    from states
    left join best using (year, project_code, reported_month)
),

final as (
    select
        cast(year as integer) as year,
        cast(as_of_month as integer) as as_of_month,
        project_code,
        project_name,
        category,
        responsible_unit,
        annual_plan,
        completed_ytd,
        cast(reported_month as integer) as reported_month,
        remaining_plan,
        cast(months_left as integer) as months_left,
        case when months_left > 0 then remaining_plan / months_left end as monthly_need,
        best_month_value,
        cast(best_month as integer) as best_month,
        greatest(annual_plan - (completed_ytd + best_month_value * months_left), 0) as projected_shortfall,
        greatest(annual_plan - (completed_ytd + best_month_value * months_left), 0) / nullif(annual_plan, 0) * 100
            as shortfall_pct,
        coalesce(
            annual_plan > 0 and months_left > 0 and remaining_plan / months_left > best_month_value, false
        ) as at_risk
    from needs
)

select * from final order by year, as_of_month, project_code
