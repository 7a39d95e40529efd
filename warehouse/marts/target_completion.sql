-- one row per (year, indicator_code) with a target: its actual and status as of the month its figure stands on
-- (CONTRACT §3): the indicator's latest complete month (core.indicator_months), in as_of_month; a later month
-- with only part of its submissions in is partial_month, with partial_received of partial_owed, never the figure
with targets as (
    select * from core.targets where is_latest
),

catalogue as (
    select * from core.indicators where is_latest
),

zone as (
    select * from core.zone_indicator_values
),

months as (
    select * from core.indicator_months
),

as_of as (
    select year, indicator_code, max(month) as as_of_month
    from months
    where complete and has_figure
    group by all
),

year_as_of as (  -- for a target with no complete month yet: the year's, so that its time progress shows
    select year, max(as_of_month) as as_of_month from as_of group by year
),

partial as (
    select months.year, months.indicator_code, months.month as partial_month,
        months.received as partial_received, months.owed as partial_owed
    from months
    left join as_of using (year, indicator_code)
    where not months.complete and months.received > 0 and months.month > coalesce(as_of.as_of_month, 0)
    qualify row_number() over (partition by months.year, months.indicator_code order by months.month desc) = 1
),

measured as (
    select
        targets.year,
        targets.indicator_code,
        catalogue.indicator_name,
        coalesce(targets.responsible_unit, catalogue.responsible_unit) as responsible_unit,
        targets.target_text,
        targets.target_type,
        case when targets.target_type = 'stable' then 0 else targets.target_value end as target_value,
        targets.tolerance,
        targets.reference_code,
        targets.outcome,
        coalesce(as_of.as_of_month, year_as_of.as_of_month) as as_of_month,
        partial.partial_month,
        partial.partial_received,
        partial.partial_owed,
        actual.value as actual_value,
        actual.yoy_pct as actual_yoy_pct,
        reference.yoy_pct as reference_yoy_pct,
        catalogue.measure
    from targets
    join catalogue using (indicator_code)
    left join as_of using (year, indicator_code)
    left join year_as_of on year_as_of.year = targets.year
    left join partial using (year, indicator_code)
    left join zone as actual
        on actual.indicator_code = targets.indicator_code
        and actual.year = targets.year
        and actual.month = as_of.as_of_month
    left join zone as reference
        on reference.indicator_code = targets.reference_code
        and reference.year = targets.year
        and reference.month = as_of.as_of_month
),

judged as (
    select
        *,
        as_of_month = 12 as finished,
        case target_type
            when 'growth' then actual_yoy_pct >= target_value - coalesce(tolerance, 0)
            when 'level' then actual_value >= target_value * (case when as_of_month = 12 then 1 else as_of_month / 12 end)
            when 'stable' then actual_yoy_pct >= 0
            when 'sync' then actual_yoy_pct >= reference_yoy_pct
        end as meets_rule,
        case target_type
            when 'growth' then actual_yoy_pct > target_value
            when 'level' then actual_value > target_value
            else false
        end as above_target
    from measured
),

final as (
    select
        cast(year as integer) as year,
        indicator_code,
        indicator_name,
        responsible_unit,
        target_text,
        target_type,
        cast(target_value as double) as target_value,
        cast(as_of_month as integer) as as_of_month,
        cast(actual_value as double) as actual_value,
        cast(actual_yoy_pct as double) as actual_yoy_pct,
        round(as_of_month / 12 * 100, 2) as time_progress_pct,
        case when target_type = 'level' then round(actual_value / nullif(target_value, 0) * 100, 2) end
            as completion_pct,
        case
            when target_type = 'assigned' then coalesce(outcome, 'pending')
            when meets_rule is null then 'pending'
            when finished and meets_rule and above_target then 'exceeded'
            when finished and meets_rule then 'met'
            when finished then 'not_met'
            when meets_rule then 'on_track'
            else 'behind'
        end as status,
        tolerance,
        reference_code,
        cast(reference_yoy_pct as double) as reference_yoy_pct,
        measure,
        cast(partial_month as integer) as partial_month,
        cast(partial_received as integer) as partial_received,
        cast(partial_owed as integer) as partial_owed
    from judged
),

labelled as (
    select final.*, labels.label as status_label
    from final
    left join core.code_labels as labels on labels.domain = 'target_status' and labels.code = final.status
)

select * from labelled order by year, indicator_code
