"""重点项目 (docs/submissions.md §2.5): a year's plan of key projects, their investment and who answers for them."""

from mubiao.foundation.kinds.spec import Kind, Staged, between, col, in_set, not_null, null

PROJECTS = Kind(
    "projects",
    "重点项目",
    (
        col("year", "年度", required=True, type="number"),
        col("project_code", "项目编号", required=True, type="code"),
        col("project_name", "项目名称", required=True),
        col("category", "项目类别", required=True),
        col("owner", "建设单位"),
        col("responsible_unit", "责任单位", required=True, type="code"),
        col("total_investment", "计划总投资", "总投资", required=True, type="quantity"),
        col("annual_plan", "年度计划投资", required=True, type="quantity"),
        col("measure", "计量单位", required=True, type="measure"),
        col("batch", "批次"),
        col("planned_start", "计划开工", type="period"),
    ),
    key=("year", "project_code"),
    description="重点项目库的入库行：一行一个已入库文件中的一行，即某年度计划中的一个项目（各版本都保留，最新版本见 core.projects）",
    staging=(
        Staged("year", "integer not null", "计划年度"),
        Staged("project_code", "varchar not null", "项目编号"),
        Staged("project_name", "varchar not null", "项目名称"),
        Staged(
            "category", "varchar not null", "项目类别：工业、服务业、城建、社会事业、农林水、前期（基础设施记为城建）"
        ),
        Staged("owner", "varchar", "建设单位"),
        Staged("responsible_unit", "varchar not null", "责任单位的单位代码"),
        Staged("total_investment", "double not null", "计划总投资，亿元"),
        Staged("annual_plan", "double", "年度计划投资，亿元；前期项目为空"),
        Staged("batch", "varchar", "批次，如 第一批集中开工"),
        Staged("planned_start_month", "integer", "计划开工月份 1–12（计划年度内）；未填为空"),
    ),
    expectations=(
        not_null("year", "年度已填写且为数字", "{year_error}"),
        between("year", "年度在 2000–2100 之间", "年度无效：{year}超出2000–2100", minimum=2000, maximum=2100),
        not_null("project_code", "项目编号已填写", "项目编号为空"),
        not_null("project_name", "项目名称已填写", "项目名称为空"),
        in_set("category", "project_categories", "项目类别为规定的类别之一", "项目类别无法识别：'{category}'"),
        not_null("category", "项目类别已填写", "项目类别为空"),
        not_null("responsible_unit", "责任单位已填写", "责任单位为空"),
        in_set("responsible_unit", "known_units", "责任单位已登记", "责任单位未登记：'{responsible_unit}'"),
        not_null("total_investment_num", "计划总投资已填写且为数字", "{total_investment_error}"),
        null("annual_plan_error", "年度计划投资为数字（可空）", "{annual_plan_error}"),
        null("measure_error", "计量单位为元、万元或亿元", "{measure_error}"),
        between("total_investment_num", "计划总投资不为负", "计划总投资不能为负：{total_investment_num}", minimum=0),
        between("annual_plan_num", "年度计划投资不为负", "年度计划投资不能为负：{annual_plan_num}", minimum=0),
        null("planned_start_error", "计划开工月份可识别（可空）", "{planned_start_error}"),
    ),
    unique=("同一文件中项目不重复", "同一文件中项目重复：{project_code}"),
    normaliser="projects",
    unit_from=("responsible_unit",),
    measures=("total_investment", "annual_plan"),
)
