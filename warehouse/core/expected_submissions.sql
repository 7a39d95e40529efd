-- @table core.expected_submissions 应报清单：一行一个单位某月应报的一项（年，月，单位，类别，项目或指标）
-- @model kind=view grain=year,month,unit_code,kind,item
-- @column year 年份
-- @column month 月份 1–12；每年跟踪的月份为任一单位报送过的第一个月到最后一个月
-- @column unit_code 应报单位的代码
-- @column kind 类别：indicator_values 指标数据，project_progress 项目进度
-- @column item 应报的一项：指标代码（indicator_values）或项目编号（project_progress）
-- one row per (year, month, unit_code, kind, item) that a unit owes: an indicator value or a project's progress
-- Months tracked for a kind and year run from the first to the last month any unit reported for it; what is
-- owed in each is core.reporting_obligations (who reports what, in which months).
with value_months as (
    select year, unnest(generate_series(min(month), max(month))) as month
    from core.indicator_values
    group by year
),

progress_months as (
    select year, unnest(generate_series(min(month), max(month))) as month
    from core.project_progress
    group by year
),

tracked as (
    select year, month, 'indicator_values' as kind from value_months
    union all
    select year, month, 'project_progress' as kind from progress_months
),

final as (
    select tracked.year, tracked.month, obligations.unit_code, obligations.kind, obligations.item
    from tracked
    join core.reporting_obligations as obligations
        on obligations.kind = tracked.kind
        and coalesce(obligations.year, tracked.year) = tracked.year
        and list_contains(obligations.months, tracked.month)
)

select * from final
