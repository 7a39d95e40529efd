"""单位名录 (docs/submissions.md §2.1): the units that report, by code, name and type."""

from mubiao.foundation.kinds.spec import Kind, Staged, col, in_set, not_null

UNIT_TYPE_NAMES = ("区直部门", "乡镇街道", "驻区机构")

UNITS = Kind(
    "units",
    "单位名录",
    (
        col("unit_code", "单位代码", required=True, type="code"),
        col("unit_name", "单位名称", required=True),
        col("unit_type", "单位类型", required=True),
    ),
    key=("unit_code",),
    description="单位名录的入库行：一行一个已入库文件中的一行（各版本都保留，最新版本见 core.units）",
    staging=(
        Staged("unit_code", "varchar not null", "单位代码（大写，去空格）"),
        Staged("unit_name", "varchar not null", "单位名称，如 统计局、文昌街道"),
        Staged("unit_type", "varchar not null", "单位类型：区直部门、乡镇街道、驻区机构"),
    ),
    expectations=(
        not_null("unit_code", "单位代码已填写", "单位代码为空"),
        not_null("unit_name", "单位名称已填写", "单位名称为空"),
        in_set(
            "unit_type",
            UNIT_TYPE_NAMES,
            "单位类型为区直部门、乡镇街道或驻区机构",
            "单位类型无法识别：'{unit_type}'（应为区直部门、乡镇街道或驻区机构）",
        ),
        not_null("unit_type", "单位类型已填写", "单位类型为空"),
    ),
    unique=("同一文件中单位代码不重复", "同一文件中单位代码重复：{unit_code}"),
    normaliser="units",
    unit_from=("unit_code",),
)
