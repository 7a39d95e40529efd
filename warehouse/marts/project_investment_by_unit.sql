-- one row per (year, as_of_month, responsible_unit): key-project investment by the unit answerable for it
with states as (
    select * from core.project_month_states
),

units as (
    select unit_code, unit_name from core.units where is_latest
),

final as (
    select
        cast(states.year as integer) as year,
        cast(states.as_of_month as integer) as as_of_month,
        states.responsible_unit,
        units.unit_name,
        cast(count(*) as integer) as project_count,
        cast(sum(states.total_investment) as double) as total_investment,
        cast(sum(states.annual_plan) as double) as annual_plan,
        cast(sum(states.completed_ytd) as double) as completed_ytd,
        cast(round(sum(states.completed_ytd) / nullif(sum(states.annual_plan), 0) * 100, 2) as double) as completion_pct,
        round(states.as_of_month / 12 * 100, 2) as time_progress_pct,
        cast(count(*) filter (where states.status in ('已开工', '竣工', '投产')) as integer) as started_count,
        cast(count(*) filter (where states.status in ('竣工', '投产')) as integer) as finished_count
    from states
    left join units on units.unit_code = states.responsible_unit
    group by all
)

select * from final order by year, as_of_month, responsible_unit
