-- @table core.expected_submissions 应报清单：一行一个单位某月应报的一项（年，月，单位，类别，项目或指标）
-- @column year 年份
-- @column month 月份 1–12；每年跟踪的月份为任一单位报送过的第一个月到最后一个月
-- @column unit_code 应报单位的代码
-- @column kind 类别：indicator_values 指标数据，project_progress 项目进度
-- @column item 应报的一项：指标代码（indicator_values）或项目编号（project_progress）
-- one row per (year, month, unit_code, kind, item) that a unit owes: an indicator value or a project's progress
-- Months tracked for a kind and year run from the first to the last month any unit reported for it.
-- Indicators: the catalogue's 填报范围 (unit types and codes) or, when empty, the responsible unit
-- (`reported`) or every 乡镇街道 (`sum`); in the months of its 报送频率 (every month when empty).
-- Projects: the responsible unit, every month from the planned start (or the first tracked month).
with units as (
    select unit_code, unit_type from core.units where is_latest
),

indicators as (
    select * from core.indicators where is_latest
),

projects as (
    select * from core.projects where is_latest
),

value_months as (
    select year, unnest(generate_series(min(month), max(month))) as month
    from core.indicator_values
    group by year
),

progress_months as (
    select year, unnest(generate_series(min(month), max(month))) as month
    from core.project_progress
    group by year
),

reporters as (
    select indicators.indicator_code, indicators.reporting_months, units.unit_code
    from indicators
    join units on
        case
            when indicators.reporting_units is not null then
                list_has_any(string_split(indicators.reporting_units, ','), [units.unit_code, units.unit_type])
            when indicators.aggregation = 'sum' then units.unit_type = '乡镇街道'
            else units.unit_code = indicators.responsible_unit
        end
),

indicator_items as (
    select
        value_months.year,
        value_months.month,
        reporters.unit_code,
        'indicator_values' as kind,
        reporters.indicator_code as item
    from value_months
    cross join reporters
    where reporters.reporting_months is null
        or list_contains(string_split(reporters.reporting_months, ',')::integer[], value_months.month)
),

project_items as (
    select
        progress_months.year,
        progress_months.month,
        projects.responsible_unit as unit_code,
        'project_progress' as kind,
        projects.project_code as item
    from progress_months
    join projects
        on projects.year = progress_months.year
        and progress_months.month >= coalesce(projects.planned_start_month, 1)
),

final as (
    select * from indicator_items
    union all
    select * from project_items
)

select * from final
