"""What a run leaves in the Prefect UI: a summary (files, rows, submission statuses that changed) and the targets behind."""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from mubiao.foundation.catalog import has_table
from mubiao.foundation.kinds import kind_label
from mubiao.foundation.vocabulary import SUBMISSION_STATUS, TARGET_STATUS
from mubiao.warehouse.published import connect_published

SUMMARY_KEY = "mubiao-run-summary"
BEHIND_KEY = "mubiao-run-targets-behind"

LISTED_CHANGES = 200
"""The summary lists this many changed statuses, the latest months first, and counts the rest: a first run of a
big zone changes tens of thousands, which no one reads in the UI (and Prefect refuses events over a few MB)."""

Statuses = dict[tuple[int, int, str, str], str]
"""(year, month, unit_code, kind) → status of marts.submission_status."""


def submission_statuses(con: duckdb.DuckDBPyConnection) -> Statuses:
    """The current submission statuses; none before the first build."""
    if not has_table(con, "marts", "submission_status"):
        return {}
    rows = con.execute("select year, month, unit_code, kind, status from marts.submission_status").fetchall()
    return {(year, month, unit, kind): status for year, month, unit, kind, status in rows}


def status_changes(before: Statuses, after: Statuses) -> list[tuple[int, int, str, str, str | None, str]]:
    """(year, month, unit, kind, old status or None, new status) of every status that is new or changed."""
    return [(*key, before.get(key), status) for key, status in sorted(after.items()) if before.get(key) != status]


def targets_behind(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The targets behind or not met, as rows of the table artifact (Chinese column names)."""
    rows = con.execute("""
        select year, indicator_name, responsible_unit, target_text, as_of_month,
               actual_value, actual_yoy_pct, completion_pct, time_progress_pct, status
        from marts.target_completion where status in ('behind', 'not_met')
        order by year, indicator_code
    """).fetchall()
    return [
        {
            "年度": year,
            "指标": name,
            "责任单位": unit,
            "目标": text,
            "截至月份": month,
            "实际值": actual,
            "同比增长%": yoy,
            "完成率%": completion,
            "序时进度%": progress,
            "状态": TARGET_STATUS[status],
        }
        for year, name, unit, text, month, actual, yoy, completion, progress, status in rows
    ]


def summary_markdown(summary: dict, changes: list[tuple]) -> str:
    """The run summary in the office's words, with the submission statuses that changed."""
    lines = [
        "# 本次运行",
        "",
        "| 项目 | 数量 |",
        "|---|---:|",
        f"| 文件：已入库 | {summary['files_loaded']} |",
        f"| 文件：重复 | {summary['files_duplicate']} |",
        f"| 文件：无法读取 | {summary['files_unreadable']} |",
        f"| 行：已入库 | {summary['rows_loaded']:,} |",
        f"| 行：隔离 | {summary['rows_quarantined']:,} |",
        f"| 跳过（不是报送文件） | {summary['files_skipped']} |",
        "",
        f"## 报送情况变化（{len(changes)} 项）",
        "",
    ]
    if changes:
        lines += ["| 统计期 | 单位 | 类别 | 原状态 | 新状态 |", "|---|---|---|---|---|"]
        latest_first = sorted(changes, key=lambda change: (change[0], change[1]), reverse=True)
        lines += [
            f"| {year}-{month:02d} | {unit} | {kind_label(kind)} | {SUBMISSION_STATUS.get(old, '—') if old else '—'} "
            f"| {SUBMISSION_STATUS.get(new, new)} |"
            for year, month, unit, kind, old, new in latest_first[:LISTED_CHANGES]
        ]
        if len(changes) > LISTED_CHANGES:
            lines += [
                "",
                f"另有 {len(changes) - LISTED_CHANGES:,} 项未列出，全部见 "
                '`mubiao sql "select * from marts.submission_status"`。',
            ]
    else:
        lines.append("无变化。")
    return "\n".join(lines) + "\n"


@task(cache_policy=NO_CACHE)
def publish_artifacts(warehouse: Path, summary: dict, before: Statuses) -> None:
    """Read the published marts (read-only) and leave the run's two artifacts."""
    if not warehouse.exists():
        return
    with connect_published(warehouse) as con:
        changes = status_changes(before, submission_statuses(con))
        behind = targets_behind(con)
    create_markdown_artifact(summary_markdown(summary, changes), key=SUMMARY_KEY, description="mubiao 本次运行摘要")
    create_table_artifact(behind, key=BEHIND_KEY, description=f"滞后或未完成的目标（{len(behind)} 项）")
