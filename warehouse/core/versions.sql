-- @table core.{kind} staging.{kind} 的每个版本：一行一个已入库文件中的一行，附其文件与收到时间；同一键（{key}）以最后收到的文件为准，is_latest 标出这一版
-- @model kind=view grain=sha256,sheet,row_number
-- @column file_name 该行所在文件的原名
-- @column seq 该行所在文件的收到顺序号（audit.files.seq）
-- @column received_at 该行所在文件的收到时间（带时区）
-- @column is_latest 是否为该键的最新版本（最后收到的文件中的那一行）：查询现行数据时取 is_latest
-- one row per version of a {kind} row: every loaded file's row kept; is_latest marks the latest file's
-- A template: warehouse.apply_schema makes core.<kind> from it for every kind, keyed as foundation/kinds/ says.
with staged as (
    select * from staging.{kind}
),

files as (
    select sha256, seq, file_name, received_at from audit.files where status = 'loaded'
),

final as (
    select
        staged.*,
        files.file_name,
        files.seq,
        files.received_at,
        row_number() over (partition by {key} order by files.seq desc) = 1 as is_latest
    from staged
    join files using (sha256)
)

select * from final
