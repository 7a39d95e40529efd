-- @table core.current_projects 项目现行登记：一行一个项目编号，取其最近年度的重点项目登记（最新版本）：进度报告、隔离行与报送情况据此找项目名称与责任单位
-- @model kind=view grain=project_code
-- @column project_code 项目编号
-- @column year 所取登记的计划年度（该项目最近的年度）
-- @column project_name 项目名称
-- @column responsible_unit 责任单位的单位代码
-- @column total_investment 计划总投资，亿元
-- one row per project_code: the register of its latest year, the one a progress report is read against
select project_code, year, project_name, responsible_unit, total_investment
from core.projects
where is_latest
qualify row_number() over (partition by project_code order by year desc) = 1
