-- @table audit.flagged_rows 疑似问题行（便于阅读）：一行一个（入库行，疑似问题），归到单位与统计期，附文件名、行号与指标或项目名称；退回修改清单的“疑似问题”即取自此表
-- @model kind=view grain=kind,file_name,sheet,row_number,warning
-- @column unit_code 归属单位的代码：指标数据为报送单位，项目进度为项目的责任单位
-- @column unit_name 归属单位的名称
-- @column year 统计期的年度
-- @column month 统计期的月份
-- @column is_latest 该行是否为其键的最新版本（仅最新版本需要修改）
-- @column kind 文件类别：indicator_values 指标数据，project_progress 项目进度
-- @column file_name 所在文件的原名
-- @column sheet 所在工作表名（CSV 文件为空）
-- @column row_number 在文件（工作表）中的行号，1 = 表头下第一行数据
-- @column item 所涉指标或项目及统计期，如 生产总值 2017年6月
-- @column warning 疑似问题（中文，见 audit.warnings）
-- one row per (loaded row, warning) of audit.warnings, in the clerk's terms: the unit it goes back to, the period,
-- its file by name and row, and the indicator or project it is about
with flagged as (
    select v.unit_code, v.year, v.month, v.is_latest, v.file_name, w.kind, w.sheet, w.row_number, w.warning,
        concat(coalesce(i.indicator_name, v.indicator_code), ' ', v.year, '年', v.month, '月') as item
    from audit.warnings as w
    join core.indicator_values as v
        on v.sha256 = w.sha256 and v.row_number = w.row_number and v.sheet is not distinct from w.sheet
    left join core.indicators as i on i.indicator_code = v.indicator_code and i.is_latest
    where w.kind = 'indicator_values'
    union all by name
    select projects.responsible_unit as unit_code, p.year, p.month, p.is_latest, p.file_name, w.kind, w.sheet,
        w.row_number, w.warning, concat(projects.project_name, ' ', p.year, '年', p.month, '月') as item
    from audit.warnings as w
    join core.project_progress as p
        on p.sha256 = w.sha256 and p.row_number = w.row_number and p.sheet is not distinct from w.sheet
    join core.current_projects as projects using (project_code)
    where w.kind = 'project_progress'
)

select f.unit_code, u.unit_name, cast(f.year as integer) as year, cast(f.month as integer) as month, f.is_latest,
    f.kind, f.file_name, f.sheet, f.row_number, f.item, f.warning
from flagged as f
left join core.units as u on u.unit_code = f.unit_code and u.is_latest
