-- @table core.quarantine_rows 隔离行归属：一行一个被隔离的行，归到单位与统计期，用于报送跟踪与退回修改
-- @model kind=view grain=sha256,sheet,row_number
-- @column sha256 所在文件内容的 SHA-256
-- @column file_name 所在文件的原名
-- @column received_at 所在文件的收到时间（带时区）
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column kind 行的类别：units 单位名录，indicators 指标目录，indicator_values 指标数据，targets 年度目标，projects 重点项目，project_progress 项目进度
-- @column reasons 被隔离的全部原因（中文，以分号分隔）
-- @column raw 该行原样内容（JSON，键为文件中的表头）
-- @column unit_recognised 该行所写单位是否为已登记单位
-- @column unit_code 归属单位：行所写单位已登记时取它，否则取文件名所指单位（core.file_senders），再否则取该文件多数行所写单位
-- @column year 归属年份：行所写的，否则取该文件多数行的
-- @column month 归属月份 1–12：行所写的，否则取该文件多数行的
-- @column superseded 是否已被更正取代：同一单位此后又有文件入库了同一类别、同一统计期的数据（退回修改与报送跟踪不再列出）
-- one row per quarantined row, attributed to a unit and a period for tracking and feedback:
-- the unit and period the row names where they resolve; else the unit the file's name names (core.file_senders),
-- else the one most of its file's rows name, and the period most of them name
-- (a row with a mistyped unit code goes back to the unit that sent the file); a row is superseded once a later
-- file of the same unit loaded the same kind and period (the unit sent the month again, docs/marts.md §3.1)
with quarantine as (
    select * from audit.quarantine
),

units as (
    select unit_code from core.units where is_latest
),

project_units as (
    select project_code, responsible_unit as unit_code
    from core.current_projects
),

file_rows as (  -- of the files with a quarantined row: no other file's rows are looked at
    select sha256, unit_code, year, month from staging.indicator_values
    where sha256 in (select sha256 from quarantine)
    union all
    select progress.sha256, project_units.unit_code, progress.year, progress.month
    from staging.project_progress as progress
    left join project_units using (project_code)
    where progress.sha256 in (select sha256 from quarantine)
    union all
    select sha256, unit_code, year, month from quarantine
),

row_units as (
    select sha256, unit_code
    from file_rows
    where unit_code in (select unit_code from units)
    group by sha256, unit_code
    qualify row_number() over (partition by sha256 order by count(*) desc, unit_code) = 1
),

file_units as (
    select sha256, coalesce(senders.unit_code, row_units.unit_code) as unit_code
    from (select distinct sha256 from quarantine) as quarantined
    left join core.file_senders as senders using (sha256)
    left join row_units using (sha256)
),

file_periods as (
    select sha256, year, month
    from file_rows
    where year is not null and month is not null
    group by sha256, year, month
    qualify row_number() over (partition by sha256 order by count(*) desc, year desc, month desc) = 1
),

files as (
    select sha256, seq, file_name, received_at from audit.files where status = 'loaded'
),

attributed as (
    select
        quarantine.sha256,
        files.seq,
        files.file_name,
        files.received_at,
        quarantine.sheet,
        quarantine.row_number,
        quarantine.kind,
        quarantine.reasons,
        quarantine.raw,
        coalesce(quarantine.unit_code in (select unit_code from units), false) as unit_recognised,
        case
            when quarantine.unit_code in (select unit_code from units) then quarantine.unit_code
            else file_units.unit_code
        end as unit_code,
        coalesce(quarantine.year, file_periods.year) as year,
        case when quarantine.year is not null and quarantine.month is not null then quarantine.month
            else file_periods.month end as month
    from quarantine
    join files using (sha256)
    left join file_units using (sha256)
    left join file_periods using (sha256)
),

resent as (  -- the last loaded file that carries rows of a (unit, kind, year, month) some rejected row is about:
    -- only those are looked for, where grouping every loaded row by its unit and month read the whole history
    select sent.unit_code, 'indicator_values' as kind, sent.year, sent.month, max(files.seq) as last_seq
    from staging.indicator_values as sent
    join files using (sha256)
    where (sent.unit_code, sent.year, sent.month) in (
        select unit_code, year, month from attributed where kind = 'indicator_values'
    )
    group by all
    union all
    select project_units.unit_code, 'project_progress', progress.year, progress.month, max(files.seq)
    from staging.project_progress as progress
    join files using (sha256)
    join project_units using (project_code)
    where (project_units.unit_code, progress.year, progress.month) in (
        select unit_code, year, month from attributed where kind = 'project_progress'
    )
    group by all
)

select attributed.* exclude (seq), coalesce(resent.last_seq > attributed.seq, false) as superseded
from attributed
left join resent using (unit_code, kind, year, month)
