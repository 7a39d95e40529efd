-- one row per version of a {kind} row: every loaded file's row kept; is_latest marks the latest file's
-- A template: warehouse.apply_schema makes core.<kind> from it for every kind, keyed as pipelines/kinds.py says.
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
