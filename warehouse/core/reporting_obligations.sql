-- @table core.reporting_obligations 报送义务：一行一个单位应报的一项及其应报的月份（不论该月是否已有单位报送）
-- @model kind=view grain=unit_code,kind,item,year
-- @column unit_code 应报单位的代码
-- @column kind 类别：indicator_values 指标数据，project_progress 项目进度
-- @column item 应报的一项：指标代码（indicator_values）或项目编号（project_progress）
-- @column year 应报的年份：项目为其计划年度；指标为空，即每年都应报
-- @column months 应报的月份（1–12 的列表）：指标为其报送频率的月份；项目为计划开工月（未填则 1 月）至 12 月
-- one row per (unit_code, kind, item, year) a unit owes, with the months it is owed in, whatever has arrived:
-- what core.expected_submissions lays over the tracked months, and what `mubiao remind` reads for a month
-- nobody has reported yet.
-- Indicators: the catalogue's 填报范围 (unit types and codes) or, when empty, the responsible unit
-- (`reported`) or every unit of a type that reports sums (`sum`: 乡镇街道, core.unit_types); in the months of its
-- 报送频率 (every month when empty); every year.
-- Projects: the responsible unit, in the project's year, every month from the planned start (January when empty).
with units as (
    select units.unit_code, units.unit_type, coalesce(types.reports_sums, false) as reports_sums
    from core.units as units
    left join core.unit_types as types using (unit_type)
    where units.is_latest
),

indicators as (
    select * from core.indicators where is_latest
),

projects as (
    select * from core.projects where is_latest
),

indicator_items as (
    select
        units.unit_code,
        'indicator_values' as kind,
        indicators.indicator_code as item,
        cast(null as integer) as year,
        coalesce(
            string_split(indicators.reporting_months, ',')::integer[], generate_series(1, 12)::integer[]
        ) as months
    from indicators
    join units on
        case
            when indicators.reporting_units is not null then
                list_has_any(string_split(indicators.reporting_units, ','), [units.unit_code, units.unit_type])
            when indicators.aggregation = 'sum' then units.reports_sums
            else units.unit_code = indicators.responsible_unit
        end
),

project_items as (
    select
        projects.responsible_unit as unit_code,
        'project_progress' as kind,
        projects.project_code as item,
        cast(projects.year as integer) as year,
        generate_series(coalesce(projects.planned_start_month, 1), 12)::integer[] as months
    from projects
),

final as (
    select * from indicator_items
    union all
    select * from project_items
)

select * from final
