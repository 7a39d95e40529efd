-- @table core.project_month_states 项目逐月状态：一行一个（年度，截至月份，项目），每个登记项目结转到该月：取该月及以前的最新进度报告，尚无报告的按完成 0、未开工计
-- @model kind=view grain=year,as_of_month,project_code
-- @column year 计划年度
-- @column as_of_month 截至月份：0 为年度计划本身（尚无进度），其余为该年有进度报告的月份
-- @column project_code 项目编号
-- @column project_name 项目名称
-- @column category 项目类别：工业、服务业、城建、社会事业、农林水、前期
-- @column responsible_unit 责任单位的单位代码
-- @column batch 批次，如 第一批集中开工
-- @column total_investment 计划总投资，亿元
-- @column annual_plan 年度计划投资，亿元；前期项目为空
-- @column completed_ytd 截至该月本年累计完成投资，亿元（尚无报告为 0）
-- @column status 项目状态：未开工、已开工、竣工、投产（未报状态时：已有完成投资为已开工，否则未开工）
-- @column start_date 实际开工日期
-- @column reported_month 所取进度报告的月份；尚无报告为空
-- @column started 是否已开工（状态为已开工、竣工或投产）
-- @column finished 是否已竣工投产（状态为竣工或投产）
-- @column completion_pct 完成率，百分数：completed_ytd / annual_plan × 100，保留两位小数；年度计划为空或 0 时为空
-- @column time_progress_pct 序时进度，百分数（core.time_progress）
-- @column reported 该年截至该月是否已有本项目的进度报告（否则为未报送：不计为滞后）
-- @column behind 是否滞后：已有本项目的进度报告（该月的，或该年此前结转的），有年度计划，且完成率低于序时进度（单位考核与会议材料的滞后项目）
-- one row per (year, as_of_month, project_code): each registered project carried forward to month m
-- (docs/marts.md §3.4); behind only on a report of its own, a project with none yet is unreported (§3.6)
with projects as (
    select * from core.projects where is_latest
),

progress as (
    select * from core.project_progress where is_latest
),

months as (
    select distinct year, month as as_of_month from progress
    union
    select distinct year, 0 as as_of_month from projects
),

default_statuses as (  -- a report without a status: the first started one when money was spent, else the first
    select started, arg_min(status, position) as status from core.project_statuses group by started
),

project_months as (
    select projects.*, months.as_of_month
    from projects
    join months using (year)
),

final as (
    select
        project_months.year,
        project_months.as_of_month,
        project_months.project_code,
        project_months.project_name,
        project_months.category,
        project_months.responsible_unit,
        project_months.batch,
        -- decimals, so that sums do not depend on the order DuckDB adds them in
        cast(project_months.total_investment as decimal(24, 8)) as total_investment,
        cast(project_months.annual_plan as decimal(24, 8)) as annual_plan,
        cast(coalesce(progress.completed_ytd, 0) as decimal(24, 8)) as completed_ytd,
        coalesce(progress.status, default_statuses.status) as status,
        progress.start_date,
        progress.month as reported_month
    from project_months
    asof left join progress
        on progress.project_code = project_months.project_code
        and progress.year = project_months.year
        and project_months.as_of_month >= progress.month
    join default_statuses on default_statuses.started = coalesce(progress.completed_ytd > 0, false)
),

judged as (
    select
        final.*,
        coalesce(statuses.started, false) as started,
        coalesce(statuses.finished, false) as finished,
        cast(round(final.completed_ytd / nullif(final.annual_plan, 0) * 100, 2) as double) as completion_pct,
        calendar.time_progress_pct,
        final.reported_month is not null as reported,
        coalesce(
            final.reported_month is not null
            and final.annual_plan > 0
            and final.completed_ytd / final.annual_plan < calendar.time_progress,
            false
        ) as behind
    from final
    join core.time_progress as calendar on calendar.month = final.as_of_month
    left join core.project_statuses as statuses on statuses.status = final.status
)

select * from judged
