-- one row per version of a projects row: every loaded file's row kept; is_latest marks the latest file's
with staged as (
    select * from staging.projects
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
        row_number() over (partition by year,project_code order by files.seq desc) = 1 as is_latest
    from staged
    join files using (sha256)
)

select * from final
