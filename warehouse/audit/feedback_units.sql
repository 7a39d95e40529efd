-- @table audit.feedback_units 反馈单位：一行一个（年，月，单位）：有报送跟踪、退回修改行或疑似问题的单位，有无须改正之处及其概要；mubiao feedback 为 needs_fixing 的单位各写一份退回修改表
-- @model kind=view grain=year,month,unit_code
-- @column year 年份
-- @column month 月份 1–12
-- @column unit_code 单位代码
-- @column unit_name 单位名称（未登记的单位为其代码）
-- @column unit_type 单位类型（无报送跟踪或未登记的单位为空字符串）
-- @column rows_returned 退回修改的行数（audit.feedback_rows）
-- @column flagged_rows 疑似问题条数（audit.flagged_rows 中的最新版本）
-- @column missing_items 各类别未入库的应报项数之和
-- @column late_kinds 迟报的类别数
-- @column unreadable_files 该月无法读取的文件数
-- @column needs_fixing 是否须改正：有退回修改行、疑似问题、未入库的应报项、迟报或无法读取的文件
-- @column summary 退回修改表的概要，如 退回 1 行；项目进度缺报 1 项；指标数据迟报
-- one row per (year, month, unit) that has a submission_cells row, a row to return or a flagged row that month:
-- what its feedback workbook holds, in the order the summary names it
with cells as (
    select
        year, month, unit_code,
        any_value(unit_name) as unit_name,
        any_value(unit_type) as unit_type,
        sum(len(missing_items)) as missing_items,
        count(*) filter (where status = 'late') as late_kinds,
        len(list_distinct(flatten(list(unreadable_files)))) as unreadable_files,
        string_agg(
            case
                when status in ('missing', 'partial', 'unreadable')
                    then concat(kind_label, status_label, ' ', len(missing_items), ' 项')
                when status = 'late' then concat(kind_label, status_label)
            end,
            '；' order by kind
        ) as kinds_said
    from audit.submission_cells
    group by all
),

returned as (
    select year, month, unit_code, any_value(unit_name) as unit_name, count(*) as rows_returned
    from audit.feedback_rows
    where unit_code is not null and year is not null and month is not null
    group by all
),

flagged as (
    select year, month, unit_code, any_value(unit_name) as unit_name, count(*) as flagged_rows
    from audit.flagged_rows
    where is_latest
    group by all
),

units as (
    select year, month, unit_code from cells
    union
    select year, month, unit_code from returned
    union
    select year, month, unit_code from flagged
),

final as (
    select
        cast(units.year as integer) as year,
        cast(units.month as integer) as month,
        units.unit_code,
        coalesce(cells.unit_name, returned.unit_name, flagged.unit_name, units.unit_code) as unit_name,
        coalesce(cells.unit_type, '') as unit_type,
        cast(coalesce(returned.rows_returned, 0) as integer) as rows_returned,
        cast(coalesce(flagged.flagged_rows, 0) as integer) as flagged_rows,
        cast(coalesce(cells.missing_items, 0) as integer) as missing_items,
        cast(coalesce(cells.late_kinds, 0) as integer) as late_kinds,
        cast(coalesce(cells.unreadable_files, 0) as integer) as unreadable_files,
        cells.kinds_said
    from units
    left join cells using (year, month, unit_code)
    left join returned using (year, month, unit_code)
    left join flagged using (year, month, unit_code)
)

select
    year, month, unit_code, unit_name, unit_type, rows_returned, flagged_rows, missing_items, late_kinds,
    unreadable_files,
    rows_returned + flagged_rows + missing_items + late_kinds + unreadable_files > 0 as needs_fixing,
    concat_ws(
        '；',
        case when unreadable_files > 0 then concat('无法读取 ', unreadable_files, ' 个文件') end,
        case when rows_returned > 0 then concat('退回 ', rows_returned, ' 行') end,
        case when flagged_rows > 0 then concat('疑似问题 ', flagged_rows, ' 条') end,
        kinds_said
    ) as summary
from final
