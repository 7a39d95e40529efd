-- @table marts.target_completion 目标完成情况：一行一个有目标的（年度，指标），其实际值与状态取自该指标最新的完整月份（as_of_month）；之后只收到部分报送的月份另列于 partial_*，不作为实际值
-- @model kind=table grain=year,indicator_code rounded=true
-- @column year 目标年度
-- @column indicator_code 指标代码
-- @column indicator_name 指标名称
-- @column responsible_unit 责任单位的单位代码（目标所写，否则指标目录的）
-- @column target_text 目标原文，如 增长9%左右、3200人以上
-- @column target_type 目标类型：growth 增长（同比增长不低于目标值，“左右”容差 0.5 个百分点），level 总量（全年值不低于目标值），stable 保持稳定（同比增长不低于 0），sync 同步（同比增长不低于所对照指标），assigned 下达任务（无法计算，按填报的完成情况）
-- @column target_value 目标值：growth 为百分数（9 即 9%），level 为 measure 单位下的数量，stable 为 0；sync 与 assigned 为空
-- @column as_of_month 截至月份 1–12：该指标本年最新的完整月份（应报单位都已报送）；尚无完整月份时取本年各指标中最晚的
-- @column actual_value 截至该月的全区本年累计值，单位见 measure，未取整（取整到两位的见 marts.target_completion_rounded）
-- @column actual_yoy_pct 截至该月的全区同比增长，百分数（9.9 即 9.9%）
-- @column time_progress_pct 序时进度，百分数：as_of_month / 12 × 100，保留两位小数（core.time_progress）
-- @column completion_pct 完成进度，百分数：仅 level 目标，actual_value / target_value × 100，保留两位小数；其他类型为空
-- @column status 状态：全年（截至 12 月）为 exceeded 超额完成（达到且严格高于目标值，仅 growth、level）、met 完成、not_met 未完成；年中为 on_track 序时推进（level：完成进度不低于序时进度；其他：本年累计增长符合规则）、behind 滞后；pending 待定（尚无实际值，或下达任务未填完成情况）
-- @column tolerance 容差，百分点：“左右”的增长目标为 0.5，其余为空
-- @column reference_code sync 目标所对照的指标代码（经济增长 = GDP）
-- @column reference_yoy_pct 所对照指标同月的同比增长，百分数
-- @column measure 计量单位（指标目录的规范单位；货币为亿元，外币为万美元）
-- @column partial_month 未完整月份：as_of_month 之后只收到部分报送的最晚月份；没有则为空
-- @column partial_received 该未完整月份已收到的报送份数
-- @column partial_owed 该未完整月份应收到的报送份数
-- @column status_label 状态的中文名：超额完成、完成、未完成、序时推进、滞后、待定
-- one row per (year, indicator_code) with a target: its actual and status as of the month its figure stands on
-- (docs/marts.md §3.5): the indicator's latest complete month (core.indicator_months), in as_of_month; a later month
-- with only part of its submissions in is partial_month, with partial_received of partial_owed, never the figure
with targets as (
    select * from core.targets where is_latest
),

catalogue as (
    select * from core.indicators where is_latest
),

zone as materialized (  -- read twice below (actual, reference): computed once
    select * from core.zone_indicator_values
),

months as materialized (  -- read by as_of and partial: computed once
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
        calendar.time_progress,
        calendar.time_progress_pct,
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
    left join core.time_progress as calendar
        on calendar.month = coalesce(as_of.as_of_month, year_as_of.as_of_month)
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
            when 'level' then actual_value >= target_value * time_progress
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
        time_progress_pct,
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
