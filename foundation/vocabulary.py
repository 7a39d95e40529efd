"""The code values the marts carry, with the Chinese the office says them in: one mapping per coded column.

warehouse/codes.py writes them into core.code_labels, so each mart carries its label beside its code
(status, status_label), and the pack, `mubiao status`, the feedback workbooks and the flows' artifacts read
the same words from here; the GX suites take the project categories and statuses from here too.
"""

from __future__ import annotations

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
PROJECT_STATUSES = ("未开工", "已开工", "竣工", "投产")
"""A key project's state, from not started to in production."""
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
