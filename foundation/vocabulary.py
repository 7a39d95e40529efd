"""The warehouse's vocabularies, each said once: the code values the marts carry with the Chinese the office says
them in, the rules that go with some of them, and the spellings senders use for them.

warehouse/codes.py writes them into reference tables at every apply_schema: core.code_labels (each mart carries
its label beside its code: status, status_label), core.project_statuses and core.unit_types, which the models
join instead of naming values in SQL. The normaliser, the GX suites (project categories and statuses), the pack,
`mubiao status`, the feedback workbooks and the flows' artifacts read the same data from here. Python data rather
than data files: the readers above want them at import time, typed, with no warehouse open.
"""

from __future__ import annotations

from typing import NamedTuple

TARGET_STATUS = {
    "exceeded": "超额完成",
    "met": "完成",
    "on_track": "序时推进",
    "behind": "滞后",
    "not_met": "未完成",
    "pending": "待定",
}
"""marts.target_completion.status (docs/marts.md §3.7)."""
SUBMISSION_STATUS = {
    "complete": "按时报齐",
    "late": "迟报",
    "partial": "缺报",
    "missing": "未报送",
    "unreadable": "无法读取",
}
"""marts.submission_status.status."""
FILE_STATUS = {"loaded": "已入库", "duplicate": "重复", "unreadable": "无法读取"}
"""audit.files.status (core.arrivals)."""
PROJECT_CATEGORIES = ("工业", "服务业", "城建", "社会事业", "农林水", "前期")
"""Key-project categories, in the order the work report lists them (marts.project_investment_by_category)."""
CATEGORY_SPELLINGS = {**{category: category for category in PROJECT_CATEGORIES}, "基础设施": "城建"}
"""Each category as a sender may write it → the category."""


class ProjectStage(NamedTuple):
    started: bool
    finished: bool


PROJECT_STATUSES = {
    "未开工": ProjectStage(started=False, finished=False),
    "已开工": ProjectStage(started=True, finished=False),
    "竣工": ProjectStage(started=True, finished=True),
    "投产": ProjectStage(started=True, finished=True),
}
"""A key project's state, from not started to in production (core.project_statuses). A progress report without
one is at the first started state when money was spent, else at the first (core.project_month_states)."""
UNIT_TYPES = {"区直部门": False, "乡镇街道": True, "驻区机构": False}
"""Unit types → whether every unit of the type reports a `sum` indicator whose 填报范围 is empty (core.unit_types)."""
UNIT_TYPE_SPELLINGS = {
    **{unit_type: unit_type for unit_type in UNIT_TYPES},
    "乡镇": "乡镇街道",
    "街道": "乡镇街道",
    "乡镇(街道)": "乡镇街道",
    "驻区单位": "驻区机构",
}
"""Each unit type as a catalogue or register may write it → the unit type."""
TARGET_OUTCOMES = {"完成": "met", "已完成": "met", "met": "met", "未完成": "not_met", "not_met": "not_met"}
"""An assigned target's 完成情况 as written → its code (marts.target_completion.status)."""
INDICATOR_SYNONYMS = {"经济": "GDP"}
"""A word a target phrase uses for an indicator → its code: 与经济增长同步 is in step with GDP."""
INDICATOR_CODE_NAMES = {"GDP": "生产总值"}
"""A well-known indicator code → its name, for a catalogue that codes it otherwise (地区生产总值 ends in it)."""
PROJECTION_METHOD = {"seasonal_share": "季节占比", "pace": "按序时", "ytd_growth": "累计增速"}
"""marts.target_projection.method (docs/marts.md §3.8)."""
PROJECTION_STATUS = {"likely_met": "预计完成", "likely_missed": "预计难以完成", "pending": "待定"}
"""marts.target_projection.projected_status."""
DOMAINS = {
    "target_status": TARGET_STATUS,
    "submission_status": SUBMISSION_STATUS,
    "file_status": FILE_STATUS,
    "projection_method": PROJECTION_METHOD,
    "projection_status": PROJECTION_STATUS,
    "project_category": {category: category for category in PROJECT_CATEGORIES},
    "project_status": {status: status for status in PROJECT_STATUSES},
}
"""Every coded column's values, in order, with their Chinese (core.code_labels)."""
