-- one row per (year, as_of_month, category): the key-project plan (as_of_month 0) and its progress each reported month
with states as (
    select * from core.project_month_states
),

final as (
    select
        cast(year as integer) as year,
        cast(as_of_month as integer) as as_of_month,
        category,
        cast(count(*) as integer) as project_count,
        cast(sum(total_investment) as double) as total_investment,
        cast(sum(annual_plan) as double) as annual_plan,
        cast(sum(completed_ytd) as double) as completed_ytd,
        cast(round(sum(completed_ytd) / nullif(sum(annual_plan), 0) * 100, 2) as double) as completion_pct,
        round(as_of_month / 12 * 100, 2) as time_progress_pct,
        cast(count(*) filter (where status in ('已开工', '竣工', '投产')) as integer) as started_count,
        cast(count(*) filter (where status in ('竣工', '投产')) as integer) as finished_count,
        list_position(['工业', '服务业', '城建', '社会事业', '农林水', '前期'], category) as category_order
    from states
    group by year, as_of_month, category
)

select * from final order by year, as_of_month, category_order
