"""指标目录 (docs/submissions.md §2.2): the indicators, their measure, who answers for them and who reports them."""

from mubiao.foundation.kinds.spec import Kind, Staged, col, in_set, not_null, null

INDICATORS = Kind(
    "indicators",
    "指标目录",
    (
        col("indicator_code", "指标代码", required=True, type="code"),
        col("indicator_name", "指标名称", required=True),
        col("measure", "计量单位", required=True, type="measure"),
        col("aggregation", "汇总方式", required=True),
        col("responsible_unit", "责任单位", required=True, type="code"),
        col("frequency", "报送频率", "频率"),
        col("reporting_units", "填报范围", "报送范围", "填报单位范围"),
    ),
    key=("indicator_code",),
    description="指标目录的入库行：一行一个已入库文件中的一行（各版本都保留，最新版本见 core.indicators）",
    staging=(
        Staged("indicator_code", "varchar not null", "指标代码，如 GDP"),
        Staged("indicator_name", "varchar not null", "指标名称，如 生产总值"),
        Staged(
            "measure",
            "varchar not null",
            "计量单位：该指标的规范单位，报送值一律换算为此单位（如 亿元、万美元、人、亩、%）",
        ),
        Staged(
            "aggregation",
            "varchar not null",
            "汇总方式：reported 全区数取责任单位报送的值，sum 全区数为各单位之和",
        ),
        Staged("responsible_unit", "varchar not null", "责任单位的单位代码"),
        Staged("reporting_months", "varchar", "报送频率：应报的月份，以逗号分隔（如 3,6,9,12 为季报）；为空即每月"),
        Staged(
            "reporting_units",
            "varchar",
            "填报范围：应报的单位类型与单位代码，以逗号分隔（如 乡镇街道）；为空时 reported 指标由责任单位报、sum 指标由每个乡镇街道报",
        ),
    ),
    expectations=(
        not_null("indicator_code", "指标代码已填写", "指标代码为空"),
        not_null("indicator_name", "指标名称已填写", "指标名称为空"),
        in_set("measure_known", (True,), "计量单位可识别", "计量单位无法识别：'{measure}'"),
        in_set(
            "aggregation",
            ("reported", "sum"),
            "汇总方式为 reported（上报）或 sum（汇总）",
            "汇总方式无法识别：'{aggregation}'（应为 reported/上报 或 sum/汇总）",
        ),
        not_null("aggregation", "汇总方式已填写", "汇总方式为空"),
        in_set("responsible_unit", "known_units", "责任单位已登记", "责任单位未登记：'{responsible_unit}'"),
        null("frequency_error", "报送频率可识别（可空）", "{frequency_error}"),
        null(
            "reporting_units_unknown",
            "填报范围中的单位或类型均已登记",
            "填报范围含未登记的单位或类型：'{reporting_units_unknown}'",
        ),
    ),
    unique=("同一文件中指标代码不重复", "同一文件中指标代码重复：{indicator_code}"),
    normaliser="indicators",
    unit_from=("responsible_unit",),
)
