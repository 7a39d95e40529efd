"""年度目标 (docs/submissions.md §2.4): a year's target of an indicator, as the work report words it."""

from mubiao.foundation.kinds.spec import Kind, Staged, between, col, in_set, not_null, null

TARGETS = Kind(
    "targets",
    "年度目标",
    (
        col("year", "年度", required=True, type="number"),
        col("indicator_code", "指标代码", type="code"),
        col("indicator_name", "指标名称"),
        col("target_text", "目标", "预期目标", required=True),
        col("responsible_unit", "责任单位", type="code"),
        col("outcome", "完成情况"),
    ),
    key=("year", "indicator_code"),
    either=(("indicator_code", "indicator_name"),),
    description="年度目标的入库行：一行一个已入库文件中的一行，即某年某指标的目标（各版本都保留，最新版本见 core.targets）",
    staging=(
        Staged("year", "integer not null", "目标年度"),
        Staged("indicator_code", "varchar not null", "指标代码"),
        Staged("target_text", "varchar not null", "目标原文，如 增长9%左右、3200人以上"),
        Staged(
            "target_type",
            "varchar not null",
            "目标类型：growth 增长（同比增长不低于目标值），level 总量（全年值不低于目标值），stable 保持稳定（同比增长不低于 0），sync 同步（同比增长不低于所对照指标），assigned 下达任务（无法计算，待填报完成情况）",
        ),
        Staged(
            "target_value",
            "double",
            "目标值：growth 为百分数（9 即 9%），level 为指标目录计量单位下的数量；其他类型为空",
            source="target",
        ),
        Staged("tolerance", "double", "容差，百分点：“左右”的增长目标为 0.5，其余为空"),
        Staged("reference_code", "varchar", "sync 目标所对照的指标代码（经济增长 = GDP）", source="reference"),
        Staged("responsible_unit", "varchar", "目标所写的责任单位代码；为空时取指标目录的责任单位"),
        Staged("outcome", "varchar", "下达任务的完成情况：met 完成，not_met 未完成；未填为空"),
    ),
    expectations=(
        not_null("year", "年度已填写且为数字", "{year_error}"),
        between("year", "年度在 2000–2100 之间", "年度无效：{year}超出2000–2100", minimum=2000, maximum=2100),
        not_null("indicator_code", "指标已填写（指标代码或指标名称）", "指标为空"),
        in_set("indicator_code", "known_indicators", "指标已登记", "指标未登记：'{indicator_code}'"),
        not_null("target_text", "目标已填写", "目标为空"),
        in_set("reference", "known_indicators", "同步目标所指的指标已登记", "同步目标所指指标未登记：'{reference}'"),
        null("measure_error", "目标的计量单位可换算为指标目录的单位", "{measure_error}"),
        between(
            "target_num", "数量目标不为负", "目标值不能为负：{target_num}", minimum=0, when='target_type == "level"'
        ),
        in_set("responsible_unit", "known_units", "责任单位已登记", "责任单位未登记：'{responsible_unit}'"),
        in_set(
            "outcome",
            ("met", "not_met"),
            "完成情况为完成或未完成（可空）",
            "完成情况无法识别：'{outcome}'（应为 完成 或 未完成）",
        ),
    ),
    unique=("同一文件中目标不重复", "同一文件中目标重复：{year}年 {indicator_code}"),
    normaliser="targets",
    unit_from=("responsible_unit", "indicator_code"),
    measures=("target",),
)
