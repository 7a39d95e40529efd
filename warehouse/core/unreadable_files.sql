-- @table core.unreadable_files 无法读取的文件：一行一个无法读取的收到文件，由文件名看出的报送单位与统计期，用于报送跟踪与退回修改
-- @column seq 收到顺序（audit.files.seq）
-- @column file_name 文件原名
-- @column received_at 收到时间（带时区）
-- @column error 无法读取的原因（中文）
-- @column unit_code 文件名所指单位（core.file_senders）；看不出时为空
-- @column year 文件名所写年份（如 2017年09月、2017-09）；看不出时为空
-- @column month 文件名所写月份 1–12；看不出时为空
-- one row per unreadable file: the unit and month its name names, the only trace of who sent what (docs/marts.md
-- §3.7: a unit whose file could not be read has sent, and hears why)
with unreadable as (
    select seq, sha256, file_name, received_at, error from audit.files where status = 'unreadable'
),

periods as (
    select seq, regexp_extract(
        file_name, '(20\d\d)\s*(?:年|-|_|\.)?\s*(?:\d{1,2}\s*-\s*)?(\d{1,2})\s*月?', ['year', 'month']
    ) as period
    from unreadable
)

select
    unreadable.seq,
    unreadable.file_name,
    unreadable.received_at,
    unreadable.error,
    senders.unit_code,
    cast(nullif(periods.period.year, '') as integer) as year,
    case when cast(nullif(periods.period.month, '') as integer) between 1 and 12
        then cast(periods.period.month as integer) end as month
from unreadable
left join core.file_senders as senders using (sha256)
left join periods using (seq)
