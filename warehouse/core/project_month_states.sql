-- one row per (year, as_of_month, project_code): each registered project carried forward to month m (CONTRACT §3)
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
        coalesce(progress.status, case when progress.completed_ytd > 0 then '已开工' else '未开工' end) as status,
        progress.start_date,
        progress.month as reported_month
    from project_months
    asof left join progress
        on progress.project_code = project_months.project_code
        and progress.year = project_months.year
        and project_months.as_of_month >= progress.month
)

select * from final
