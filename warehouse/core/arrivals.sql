-- @table core.arrivals 收到的文件：一行一个收到的文件（含重复与无法读取的），谁报送、哪个统计期、状态与其各行现状；报送跟踪、退回修改、会议材料与校验页都读它
-- @model kind=view grain=seq
-- @column seq 收到顺序（audit.files.seq）
-- @column file_name 文件原名（收件箱下的路径）
-- @column sha256 文件内容的 SHA-256
-- @column kind 文件的类别（见 audit.files.kind）
-- @column received_at 收到时间（带时区）
-- @column status 状态：loaded 已入库，duplicate 重复，unreadable 无法读取
-- @column status_label 状态的中文名：已入库、重复、无法读取
-- @column error 无法读取的原因（中文）
-- @column unit_code 报送单位：文件名所指单位（core.file_senders）；看不出时为空
-- @column year 文件名所写年份（如 2017年09月、2017-09、2017年1-9月）；看不出时为空
-- @column month 文件名所写月份 1–12；看不出时为空
-- @column rows_total 数据行数
-- @column rows_loaded 其中入库的行数
-- @column rows_quarantined 其中隔离的行数
-- @column rows_superseded 隔离行中已被同一单位此后的文件更正取代的行数（core.quarantine_rows.superseded）
-- one row per file received (audit.files): who sent it and for which month as its name says (an unreadable file's
-- only trace), its status, and how many of its rejected rows a correction has since replaced. The views of who
-- sent what (status, feedback, the pack, the validation pages) read it, never audit.files on their own.
with files as (
    select seq, sha256, file_name, kind, received_at, status, error, rows_total, rows_loaded, rows_quarantined
    from audit.files
),

periods as (
    select seq, regexp_extract(
        file_name, '(20\d\d)\s*(?:年|-|_|\.)?\s*(?:\d{1,2}\s*-\s*)?(\d{1,2})\s*月?', ['year', 'month']
    ) as period
    from files
),

superseded as (
    select sha256, count(*) as rows_superseded from core.quarantine_rows where superseded group by sha256
)

select
    files.seq,
    files.file_name,
    files.sha256,
    files.kind,
    files.received_at,
    files.status,
    labels.label as status_label,
    files.error,
    senders.unit_code,
    cast(nullif(periods.period.year, '') as integer) as year,
    case when cast(nullif(periods.period.month, '') as integer) between 1 and 12
        then cast(periods.period.month as integer) end as month,
    files.rows_total,
    files.rows_loaded,
    files.rows_quarantined,
    cast(case when files.status = 'loaded' then coalesce(superseded.rows_superseded, 0) else 0 end as integer)
        as rows_superseded
from files
left join core.file_senders as senders on senders.sha256 = files.sha256
    and files.status in ('loaded', 'unreadable')
left join periods using (seq)
left join superseded on superseded.sha256 = files.sha256
left join core.code_labels as labels on labels.domain = 'file_status' and labels.code = files.status
order by files.seq
