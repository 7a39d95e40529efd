-- @table marts.unit_scorecard 单位考核：一行一个（年度，单位），其负责的目标与重点项目情况，用于目标绩效管理责任书
-- @model kind=table grain=year,unit_code
-- @column year 年度
-- @column unit_code 单位代码
-- @column unit_name 单位名称
-- @column unit_type 单位类型：区直部门、乡镇街道、驻区机构
-- @column targets_total 负责的目标数
-- @column targets_met 其中完成、超额完成或序时推进的（status 为 met、exceeded、on_track）
-- @column targets_behind 其中未完成或滞后的（status 为 not_met、behind）
-- @column projects_total 负责的重点项目数
-- @column projects_behind 其中滞后的项目数：在重点项目所取月份（core.standing_months），已有进度报告且完成率低于序时进度
-- @column projects_unreported 其中该年截至该月尚无进度报告的项目数（未报送，不计为滞后）
-- @column rows_quarantined 归属该单位、该年、未被更正取代的隔离行数
-- one row per (year, unit_code): a unit's targets and key projects, for the target-responsibility letters
with units as (
    select unit_code, unit_name, unit_type from core.units where is_latest
),

targets as (
    select
        year,
        responsible_unit as unit_code,
        count(*) as targets_total,
        count(*) filter (where status in ('met', 'exceeded', 'on_track')) as targets_met,
        count(*) filter (where status in ('not_met', 'behind')) as targets_behind
    from marts.target_completion
    group by all
),

project_months as (
    select year, coalesce(project_month, 0) as as_of_month from core.standing_months
),

projects as (
    select
        states.year,
        states.responsible_unit as unit_code,
        count(*) as projects_total,
        count(*) filter (where states.behind) as projects_behind,
        count(*) filter (where not states.reported) as projects_unreported
    from core.project_month_states as states
    join project_months using (year, as_of_month)
    group by all
),

quarantined as (
    select year, unit_code, count(*) as rows_quarantined
    from core.quarantine_rows
    where not superseded and year is not null and unit_code is not null
    group by all
),

years as (
    select distinct year from targets
    union
    select distinct year from projects
),

final as (
    select
        cast(years.year as integer) as year,
        units.unit_code,
        units.unit_name,
        units.unit_type,
        cast(coalesce(targets.targets_total, 0) as integer) as targets_total,
        cast(coalesce(targets.targets_met, 0) as integer) as targets_met,
        cast(coalesce(targets.targets_behind, 0) as integer) as targets_behind,
        cast(coalesce(projects.projects_total, 0) as integer) as projects_total,
        cast(coalesce(projects.projects_behind, 0) as integer) as projects_behind,
        cast(coalesce(projects.projects_unreported, 0) as integer) as projects_unreported,
        cast(coalesce(quarantined.rows_quarantined, 0) as integer) as rows_quarantined
    from years
    cross join units
    left join targets using (year, unit_code)
    left join projects using (year, unit_code)
    left join quarantined using (year, unit_code)
)

select * from final order by year, unit_code
