-- @table core.file_senders 文件的报送单位：一行一个文件名中恰好出现一个已登记单位（名称或代码）的入库或无法读取的文件
-- @model kind=view grain=sha256
-- @column sha256 文件内容的 SHA-256
-- @column file_name 文件原名
-- @column unit_code 文件名所指单位的代码
-- one row per loaded or unreadable file whose name names exactly one registered unit: the unit that sent it
-- (2017年10月_安阳城乡_月报.csv was sent by 安阳城乡); a name is split at _ - . / \ spaces and brackets,
-- and a part that equals a unit's name or code names that unit
with files as (
    select sha256, file_name from audit.files where status in ('loaded', 'unreadable')
),

unit_names as (  -- a unit is named by its name or its code: one row each, so the join below is on equality
    select unit_code, unnest([unit_name, unit_code]) as part from core.units where is_latest
),

name_parts as (
    select sha256, file_name, unnest(regexp_split_to_array(file_name, '[_\-./\\\s（）()【】\[\]]+')) as part
    from files
),

named as (
    select distinct name_parts.sha256, name_parts.file_name, unit_names.unit_code
    from name_parts
    join unit_names using (part)
),

final as (
    select sha256, any_value(file_name) as file_name, any_value(unit_code) as unit_code
    from named
    group by sha256
    having count(distinct unit_code) = 1
)

select * from final
