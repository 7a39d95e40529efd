"""项目进度 (docs/submissions.md §2.6): a key project's investment completed this year to a month, and its state."""

from mubiao.foundation.kinds.spec import Kind, Staged, at_least, between, col, in_set, not_null, null

PROJECT_PROGRESS = Kind(
    "project_progress",
    "项目进度",
    (
        col("project_code", "项目编号", required=True, type="code"),
        col("period", "统计期", required=True, type="period"),
        col("completed_ytd", "本年累计完成投资", required=True, type="quantity"),
        col("measure", "计量单位", required=True, type="measure"),
        col("status", "项目状态", required=True),
        col("start_date", "实际开工日期", type="date"),
        col("note", "备注"),
    ),
    key=("project_code", "year", "month"),
    description="项目进度的入库行：一行一个已入库文件中的一行，即某项目某月的进度（各版本都保留，最新版本见 core.project_progress）",
    staging=(
        Staged("project_code", "varchar not null", "项目编号"),
        Staged("year", "integer not null", "统计期的年份"),
        Staged("month", "integer not null", "统计期的月份 1–12"),
        Staged("completed_ytd", "double not null", "本年累计完成投资（1 月至该月），亿元"),
        Staged("status", "varchar", "项目状态：未开工、已开工、竣工、投产"),
        Staged("start_date", "date", "实际开工日期"),
        Staged("note", "varchar", "备注"),
    ),
    expectations=(
        not_null("project_code", "项目编号已填写", "项目编号为空"),
        in_set("project_code", "known_projects", "项目已登记", "项目未登记：'{project_code}'"),
        not_null("year", "统计期已填写且有效", "{period_error}"),
        not_null("completed_ytd_num", "本年累计完成投资已填写且为数字", "{completed_ytd_error}"),
        null("measure_error", "计量单位为元、万元或亿元", "{measure_error}"),
        between(
            "completed_ytd_num", "本年累计完成投资不为负", "本年累计完成投资不能为负：{completed_ytd_num}", minimum=0
        ),
        at_least(
            "project_total",
            "completed_ytd",
            "本年累计完成投资不超过计划总投资",
            "本年累计完成投资{completed_ytd}亿元超过计划总投资{project_total}亿元",
        ),
        in_set(
            "status",
            "project_statuses",
            "项目状态为未开工、已开工、竣工或投产",
            "项目状态无法识别：'{status}'（应为 未开工、已开工、竣工 或 投产）",
        ),
        null("start_date_error", "实际开工日期可识别（可空）", "{start_date_error}"),
    ),
    unique=("同一文件中不重复填报", "同一文件中重复填报：{project_code} {year}年{month}月"),
    by_month=True,
    normaliser="project_progress",
    unit_from=("project_code",),
    measures=("completed_ytd",),
)
