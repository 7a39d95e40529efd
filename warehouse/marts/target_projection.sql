-- @table marts.target_projection 全年预计：一行一个（年度，指标，截至月份），从该指标本年每个完整月份预计全年，直到 marts.target_completion 所取的月份（is_standing）；总量目标用季节占比法（无往年逐月数时按序时），增长类目标按本年累计增长，并按目标规则判断预计能否完成、差多少
-- @model kind=table grain=year,indicator_code,as_of_month rounded=true
-- @column year 目标年度
-- @column indicator_code 指标代码
-- @column indicator_name 指标名称
-- @column responsible_unit 责任单位的单位代码（同 marts.target_completion）
-- @column target_text 目标原文
-- @column target_type 目标类型：growth、level、stable、sync、assigned（同 marts.target_completion）
-- @column target_value 目标值：growth 为百分数，level 为 measure 单位下的数量，stable 为 0；sync 与 assigned 为空
-- @column tolerance 容差，百分点：“左右”的增长目标为 0.5，其余为空
-- @column as_of_month 预计所依据的月份 1–12：该指标本年的完整月份，不晚于 marts.target_completion 的 as_of_month
-- @column is_standing 是否为会议材料所取的月份：as_of_month 等于 marts.target_completion 的 as_of_month
-- @column actual_value 截至该月的全区本年累计值，单位见 measure
-- @column actual_yoy_pct 截至该月的全区累计同比增长，百分数
-- @column method 预计方法：seasonal_share 季节占比（总量目标，有往年逐月数），pace 按序时（总量目标，没有往年逐月数：累计 × 12 ÷ 月份），ytd_growth 累计增速（增长、稳定、同步目标：全年增长按本年累计增长预计）；尚无实际值或下达任务为空
-- @column method_label 预计方法的中文名：季节占比、按序时、累计增速
-- @column prior_years 所用往年数：季节占比所用的往年（总量目标）或增长区间所用的往年（其他目标）；0 为没有
-- @column seasonal_share 季节占比：往年同月累计值 ÷ 全年值的平均（core.indicator_projections）；按序时时为空
-- @column projected_value 全年预计值，单位见 measure，未取整：总量目标按 method 计算；增长类目标为上年全年值 × (1 + projected_yoy_pct ÷ 100)，上年缺数时为空
-- @column previous_value 上年全年全区值，单位见 measure；上年缺数时为空
-- @column projected_yoy_pct 全年预计同比增长，百分数：增长类目标为本年累计增长；总量目标为 projected_value ÷ previous_value × 100 − 100，上年缺数时为空
-- @column projected_yoy_low 全年预计增长区间下限，百分数：projected_yoy_pct 加往年（全年增长 − 同月累计增长）的最小值；没有往年时为空
-- @column projected_yoy_high 全年预计增长区间上限，百分数：projected_yoy_pct 加往年（全年增长 − 同月累计增长）的最大值；没有往年时为空
-- @column reference_code sync 目标所对照的指标代码
-- @column reference_yoy_pct 所对照指标同月的累计同比增长（即其全年预计增长），百分数
-- @column required 目标规则要求的全年值：level 为 target_value（measure 单位）；growth 为 target_value − 容差（百分数）；stable 为 0；sync 为 reference_yoy_pct
-- @column projected_met 是否预计完成：按目标规则（docs/marts.md §3.7 全年）比较预计值与 required；无法预计为空
-- @column projected_gap 预计差距：required − 预计值（level 为 measure 单位，其余为百分点）；大于 0 为预计差这么多完成不了，小于等于 0 为有余量
-- @column projected_gap_pct 预计差距占比，百分数：level 为 projected_gap ÷ target_value × 100，其余同 projected_gap（百分点），风险清单按它排序
-- @column projected_status 预计状态：likely_met 预计完成，likely_missed 预计难以完成，pending 待定（无法预计）
-- @column projected_status_label 预计状态的中文名：预计完成、预计难以完成、待定
-- @column measure 计量单位（指标目录的规范单位）
-- one row per (year, indicator_code, as_of_month): the full-year projection of a target from each complete month
-- of its indicator up to the month marts.target_completion stands on (docs/marts.md §3.8), judged by §3.7's rule
-- as at month 12
with completion as (
    select * from marts.target_completion where as_of_month is not null
),

complete_months as (
    select year, indicator_code, month from core.indicator_months where complete and has_figure
),

months as (
    select completion.year, completion.indicator_code, complete_months.month as as_of_month, true as complete
    from completion
    join complete_months using (year, indicator_code)
    where complete_months.month <= completion.as_of_month
    union all
    select year, indicator_code, as_of_month, false from completion where actual_value is null
),

projections as (
    select * from core.indicator_projections
),

based as (
    select
        completion.year,
        completion.indicator_code,
        completion.indicator_name,
        completion.responsible_unit,
        completion.target_text,
        completion.target_type,
        completion.target_value,
        completion.tolerance,
        months.as_of_month,
        months.as_of_month = completion.as_of_month as is_standing,
        own.value as actual_value,
        own.yoy_pct as actual_yoy_pct,
        own.prior_years,
        own.seasonal_share,
        own.projected_value as level_value,
        own.method as level_method,
        own.growth_years,
        own.growth_spread_low,
        own.growth_spread_high,
        own.previous_value,
        completion.reference_code,
        reference.yoy_pct as reference_yoy_pct,
        completion.measure
    from completion
    join months using (year, indicator_code)
    left join projections as own
        on own.indicator_code = completion.indicator_code and own.year = completion.year
        and own.month = months.as_of_month and months.complete
    left join projections as reference
        on reference.indicator_code = completion.reference_code and reference.year = completion.year
        and reference.month = months.as_of_month and months.complete
),

projected as (
    select
        *,
        case
            when target_type = 'level' and actual_value is not null then level_method
            when target_type in ('growth', 'stable', 'sync') and actual_yoy_pct is not null then 'ytd_growth'
        end as method,
        case
            when target_type = 'level' then level_value
            when target_type in ('growth', 'stable', 'sync') then previous_value * (1 + actual_yoy_pct / 100)
        end as projected_value,
        case
            when target_type = 'level' then level_value / nullif(previous_value, 0) * 100 - 100
            when target_type in ('growth', 'stable', 'sync') then actual_yoy_pct
        end as projected_yoy_pct,
        case target_type
            when 'level' then target_value
            when 'growth' then target_value - coalesce(tolerance, 0)
            when 'stable' then 0
            when 'sync' then reference_yoy_pct
        end as required
    from based
),

judged as (
    select
        *,
        case target_type
            when 'level' then required - projected_value
            when 'growth' then required - projected_yoy_pct
            when 'stable' then required - projected_yoy_pct
            when 'sync' then required - projected_yoy_pct
        end as projected_gap
    from projected
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
        tolerance,
        cast(as_of_month as integer) as as_of_month,
        is_standing,
        cast(actual_value as double) as actual_value,
        cast(actual_yoy_pct as double) as actual_yoy_pct,
        method,
        cast(case when method = 'ytd_growth' then coalesce(growth_years, 0) else coalesce(prior_years, 0) end
            as integer) as prior_years,
        case when method = 'seasonal_share' then seasonal_share end as seasonal_share,
        cast(projected_value as double) as projected_value,
        cast(previous_value as double) as previous_value,
        cast(projected_yoy_pct as double) as projected_yoy_pct,
        case when method = 'ytd_growth' then projected_yoy_pct + growth_spread_low end as projected_yoy_low,
        case when method = 'ytd_growth' then projected_yoy_pct + growth_spread_high end as projected_yoy_high,
        reference_code,
        cast(reference_yoy_pct as double) as reference_yoy_pct,
        cast(required as double) as required,
        projected_gap <= 0 as projected_met,
        cast(projected_gap as double) as projected_gap,
        cast(case when target_type = 'level' then projected_gap / nullif(target_value, 0) * 100 else projected_gap end
            as double) as projected_gap_pct,
        case when projected_gap is null then 'pending' when projected_gap <= 0 then 'likely_met' else 'likely_missed' end
            as projected_status,
        measure
    from judged
),

labelled as (
    select
        final.* exclude (measure, projected_status),
        methods.label as method_label,
        final.projected_status,
        statuses.label as projected_status_label,
        final.measure
    from final
    left join core.code_labels as methods on methods.domain = 'projection_method' and methods.code = final.method
    left join core.code_labels as statuses
        on statuses.domain = 'projection_status' and statuses.code = final.projected_status
)

select * from labelled order by year, indicator_code, as_of_month
