-- @table audit.feedback_rows 退回修改行：一行一个仍须退回修改的隔离行（指标数据与项目进度，未被更正取代），归到单位与统计期；退回修改表的“退回修改”与“无法归属”即取自此视图
-- @model kind=view grain=file_name,received_at,sheet,row_number
-- @column year 归属年份（见 core.quarantine_rows）
-- @column month 归属月份 1–12
-- @column unit_code 归属单位的代码；为空即无法归属（文件中没有已登记的单位）
-- @column unit_name 归属单位的名称（未登记的为空）
-- @column unit_recognised 该行所写单位是否为已登记单位（否则退回修改表给出最接近的已登记单位）
-- @column kind 行的类别：indicator_values 指标数据，project_progress 项目进度
-- @column file_name 所在文件的原名
-- @column received_at 所在文件的收到时间（带时区）
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column reasons 被隔离的全部原因（中文，以分号分隔）
-- @column raw 该行原样内容（JSON，键为文件中的表头）
-- one row per quarantined row a unit is asked to fix: the tracked kinds, not superseded by a later file
select q.year, q.month, q.unit_code, u.unit_name, q.unit_recognised, q.kind, q.file_name, q.received_at, q.sheet,
    q.row_number, q.reasons, q.raw
from core.quarantine_rows as q
left join core.units as u on u.unit_code = q.unit_code and u.is_latest
where not q.superseded and q.kind in ('indicator_values', 'project_progress')
