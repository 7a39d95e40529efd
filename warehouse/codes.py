"""The Chinese for the code values the marts carry: one mapping per coded column, in one place.

`apply_schema` writes them into core.code_labels, so each mart carries its label beside its code
(status, status_label), and the pack, `mubiao status` and the feedback workbooks read the same words.
"""

from __future__ import annotations

import duckdb

TARGET_STATUS = {"exceeded": "超额完成", "met": "完成", "on_track": "序时推进", "behind": "滞后", "not_met": "未完成",
                 "pending": "待定"}
"""marts.target_completion.status (CONTRACT §3)."""
SUBMISSION_STATUS = {"complete": "按时报齐", "late": "迟报", "partial": "缺报", "missing": "未报送"}
"""marts.submission_status.status."""
DOMAINS = {"target_status": TARGET_STATUS, "submission_status": SUBMISSION_STATUS}


def write_code_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Fill core.code_labels (made by schema.sql) with (domain, code, label) for every mapping above."""
    con.execute("delete from core.code_labels")
    con.executemany("insert into core.code_labels values (?, ?, ?)",
                    [(domain, code, label) for domain, codes in DOMAINS.items() for code, label in codes.items()])
