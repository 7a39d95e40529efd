-- one row per (loaded row, warning): suspicious but possible values of CONTRACT §2.10, kept and flagged
with values_ as (
    select * from core.indicator_values
),

latest_values as (
    select * from values_ where is_latest
),

progress as (
    select * from core.project_progress
),

latest_progress as (
    select * from progress where is_latest
),

value_decreases as (
    select
        v.sha256, v.sheet, v.row_number, 'indicator_values' as kind,
        concat_ws('/', v.unit_code, v.indicator_code, printf('%d-%02d', v.year, v.month)) as key,
        printf('累计值%s%s低于%d年%d月的%s%s', regexp_replace(v.value::varchar, '\.0$', ''), v.measure,
            earlier.year, earlier.month, regexp_replace(earlier.value::varchar, '\.0$', ''), earlier.measure) as warning
    from values_ as v
    join latest_values as earlier
        on earlier.unit_code = v.unit_code and earlier.indicator_code = v.indicator_code
        and earlier.year = v.year and earlier.month < v.month
        and earlier.value > v.value
    qualify row_number() over (partition by v.sha256, v.row_number order by earlier.month desc) = 1
),

growth_mismatches as (
    select
        v.sha256, v.sheet, v.row_number, 'indicator_values' as kind,
        concat_ws('/', v.unit_code, v.indicator_code, printf('%d-%02d', v.year, v.month)) as key,
        printf('同比增长%s%%与按上年同期%s计算的%.2f%%相差超过5个百分点',
            v.yoy_pct::varchar, prior.value::varchar, (v.value / prior.value - 1) * 100) as warning
    from values_ as v
    join latest_values as prior
        on prior.unit_code = v.unit_code and prior.indicator_code = v.indicator_code
        and prior.year = v.year - 1 and prior.month = v.month
    where v.yoy_pct is not null and prior.value > 0
        and abs(v.yoy_pct - (v.value / prior.value - 1) * 100) > 5
),

progress_decreases as (
    select
        p.sha256, p.sheet, p.row_number, 'project_progress' as kind,
        concat_ws('/', p.project_code, printf('%d-%02d', p.year, p.month)) as key,
        printf('本年累计完成投资%s亿元低于%d年%d月的%s亿元',
            p.completed_ytd::varchar, earlier.year, earlier.month, earlier.completed_ytd::varchar) as warning
    from progress as p
    join latest_progress as earlier
        on earlier.project_code = p.project_code and earlier.year = p.year
        and earlier.month < p.month and earlier.completed_ytd > p.completed_ytd
    qualify row_number() over (partition by p.sha256, p.row_number order by earlier.month desc) = 1
),

final as (
    select * from value_decreases
    union all
    select * from growth_mismatches
    union all
    select * from progress_decreases
)

select * from final order by sha256, row_number, warning
