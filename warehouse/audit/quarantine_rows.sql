-- @table audit.quarantine_rows 隔离行（便于阅读）：一行一个被隔离的行，以文件名、工作表、行号、归属单位、统计期与全部原因列出，按收到先后排序
-- @model kind=view grain=file_name,received_at,sheet,row_number
-- @column file_name 所在文件的原名
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column unit_code 归属单位的代码（退回给它修改；见 core.quarantine_rows）
-- @column unit_name 归属单位的名称
-- @column period 归属统计期，如 2017年6月；无法确定时为空
-- @column reasons 被隔离的全部原因（中文，以分号分隔）
-- @column received_at 所在文件的收到时间（带时区）
-- one row per quarantined row, in the clerk's terms: its file by name, its row, the unit it is attributed to
-- (core.quarantine_rows), its period, every reason in full, and when the file came (core.quarantine_rows has the rest)
with quarantine as (
    select * from core.quarantine_rows
),

units as (
    select unit_code, unit_name from core.units where is_latest
),

final as (
    select
        quarantine.file_name,
        quarantine.sheet,
        cast(quarantine.row_number as integer) as row_number,
        quarantine.unit_code,
        units.unit_name,
        case when quarantine.year is not null and quarantine.month is not null
            then concat(quarantine.year, '年', quarantine.month, '月') end as period,
        quarantine.reasons,
        quarantine.received_at
    from quarantine
    left join units using (unit_code)
)

select * from final order by received_at, file_name, sheet nulls first, row_number
