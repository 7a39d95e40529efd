-- @table marts.submission_status 报送情况：一行一个（年，月，单位，类别）：应报几项、收到几项、缺哪些、何时收到、截止日与状态
-- @model kind=table_by_month grain=year,month,unit_code,kind parameters=params.build_months,params.settings
-- @column year 年份
-- @column month 月份 1–12（报送的统计期）
-- @column unit_code 单位代码
-- @column unit_name 单位名称
-- @column unit_type 单位类型：区直部门、乡镇街道、驻区机构
-- @column kind 类别：indicator_values 指标数据，project_progress 项目进度
-- @column expected_items 应报项数（指标或项目，见 core.expected_submissions）
-- @column received_items 其中已入库的项数
-- @column missing_items 未入库的应报项：指标代码或项目编号的列表
-- @column missing_names 未入库的应报项的名称列表（与 missing_items 一一对应）
-- @column rows_quarantined 归属该单位该月该类别、未被更正取代的隔离行数
-- @column first_received_at 最早收到的时间（带时区；含被隔离的行）
-- @column last_received_at 最晚收到的时间（带时区；含更正）
-- @column due_date 报送截止日：次月的第 due_day 日（默认 5 日，见 audit.builds.due_day）
-- @column unreadable_files 该单位该月无法读取的文件（由文件名看出单位与月份，core.arrivals）
-- @column unreadable_reasons 这些文件无法读取的原因（与 unreadable_files 一一对应）
-- @column status 状态：unreadable 无法读取（收到了该单位该月的文件，但无法读取，别无可用的行），missing 未报送（什么都没收到，连被隔离的行也没有），partial 缺报（有应报项未入库：未报或被隔离），late 迟报（都已收到，但有一项的第一版晚于截止日），complete 按时报齐
-- @column status_label 状态的中文名：无法读取、未报送、缺报、迟报、按时报齐
-- one row per (year, month, unit_code, kind): what a unit owed for a month, what came, and when
-- due_date is the set day (default 5) of the following month; status is, in this order of precedence:
-- unreadable (nothing usable came, but a file of the unit's for the month could not be read),
-- missing (nothing came, not even rejected rows), partial (an item owed is not loaded),
-- late (all came, but an item's first version arrived after the due date, zone time: params.settings), complete
with expected as (
    select * from core.expected_submissions where (year, month) in (select year, month from params.build_months)
),

units as (
    select unit_code, unit_name, unit_type from core.units where is_latest
),

project_names as (
    select project_code as item, responsible_unit as unit_code, project_name as item_name
    from core.current_projects
),

indicator_names as (
    select indicator_code as item, indicator_name as item_name from core.indicators where is_latest
),

received as (
    select year, month, unit_code, 'indicator_values' as kind, indicator_code as item,
        min(received_at) as first_received_at, max(received_at) as last_received_at
    from core.indicator_values
    where (year, month) in (select year, month from params.build_months)
    group by all
    union all
    select progress.year, progress.month, project_names.unit_code, 'project_progress', progress.project_code,
        min(progress.received_at), max(progress.received_at)
    from core.project_progress as progress
    join project_names on project_names.item = progress.project_code
    where (progress.year, progress.month) in (select year, month from params.build_months)
    group by all
),

items as (
    select
        year, month, unit_code, kind, item,
        expected.item is not null as is_expected,
        received.item is not null as is_received,
        received.first_received_at,
        received.last_received_at
    from expected
    full join received using (year, month, unit_code, kind, item)
),

named_items as (
    select items.*, coalesce(indicator_names.item_name, project_names.item_name, items.item) as item_name
    from items
    left join indicator_names on items.kind = 'indicator_values' and indicator_names.item = items.item
    left join project_names on items.kind = 'project_progress' and project_names.item = items.item
),

item_counts as (
    select
        year, month, unit_code, kind,
        count(*) filter (where is_expected) as expected_items,
        count(*) filter (where is_expected and is_received) as received_items,
        coalesce(list(item order by item) filter (where is_expected and not is_received), []) as missing_items,
        coalesce(list(item_name order by item) filter (where is_expected and not is_received), []) as missing_names,
        max(first_received_at) filter (where is_expected) as last_item_arrived_at,
        min(first_received_at) as first_received_at,
        max(last_received_at) as last_received_at
    from named_items
    group by all
),

quarantined as (
    select year, month, unit_code, kind, count(*) as rows_quarantined,
        min(received_at) as first_received_at, max(received_at) as last_received_at
    from core.quarantine_rows
    where not superseded and kind in ('indicator_values', 'project_progress')
        and unit_code is not null and year is not null and month between 1 and 12
        and (year, month, kind) in (select distinct year, month, kind from expected)  -- tracked months being built
    group by all
),

unreadable as (
    select year, month, unit_code, list(file_name order by seq) as unreadable_files,
        list(error order by seq) as unreadable_reasons
    from core.arrivals
    where status = 'unreadable' and unit_code is not null
        and (year, month) in (select year, month from params.build_months)
    group by all
),

combined as (
    select
        year, month, unit_code, kind,
        coalesce(item_counts.expected_items, 0) as expected_items,
        coalesce(item_counts.received_items, 0) as received_items,
        coalesce(item_counts.missing_items, []) as missing_items,
        coalesce(item_counts.missing_names, []) as missing_names,
        coalesce(quarantined.rows_quarantined, 0) as rows_quarantined,
        least(item_counts.first_received_at, quarantined.first_received_at) as first_received_at,
        greatest(item_counts.last_received_at, quarantined.last_received_at) as last_received_at,
        item_counts.last_item_arrived_at,
        (make_date(year, month, 1) + interval 1 month)::date + ((select due_day from params.settings) - 1) as due_date
    from item_counts
    full join quarantined using (year, month, unit_code, kind)
),

final as (
    select
        cast(combined.year as integer) as year,
        cast(combined.month as integer) as month,
        combined.unit_code,
        units.unit_name,
        units.unit_type,
        combined.kind,
        cast(combined.expected_items as integer) as expected_items,
        cast(combined.received_items as integer) as received_items,
        combined.missing_items,
        combined.missing_names,
        cast(combined.rows_quarantined as integer) as rows_quarantined,
        combined.first_received_at,
        combined.last_received_at,
        combined.due_date,
        coalesce(unreadable.unreadable_files, []) as unreadable_files,
        coalesce(unreadable.unreadable_reasons, []) as unreadable_reasons,
        case
            when combined.first_received_at is null and unreadable.unit_code is not null then 'unreadable'
            when combined.first_received_at is null then 'missing'
            when combined.received_items < combined.expected_items then 'partial'
            when timezone((select time_zone from params.settings), combined.last_item_arrived_at)::date
                > combined.due_date then 'late'
            else 'complete'
        end as status
    from combined
    left join units using (unit_code)
    left join unreadable using (year, month, unit_code)
),

labelled as (
    select final.*, labels.label as status_label
    from final
    left join core.code_labels as labels on labels.domain = 'submission_status' and labels.code = final.status
)

select * from labelled order by year, month, unit_code, kind
