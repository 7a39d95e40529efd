"""Each run leaves two Prefect artifacts: its summary with the submission statuses that changed, and the targets behind."""

from __future__ import annotations

import json
from pathlib import Path

from mubiao.flows.artifacts import BEHIND_KEY, LISTED_CHANGES, SUMMARY_KEY, status_changes, summary_markdown
from tests.conftest import query
from tests.synthetic_zone import write_zone


def test_status_changes_are_the_new_and_the_changed_statuses_only() -> None:
    before = {(2021, 5, "Z02", "indicator_values"): "missing", (2021, 5, "Z03", "indicator_values"): "complete"}
    after = {
        (2021, 5, "Z02", "indicator_values"): "late",
        (2021, 5, "Z03", "indicator_values"): "complete",
        (2021, 6, "Z02", "indicator_values"): "partial",
    }
    assert status_changes(before, after) == [
        (2021, 5, "Z02", "indicator_values", "missing", "late"),
        (2021, 6, "Z02", "indicator_values", None, "partial"),
    ]


def test_the_summary_says_what_changed_in_the_offices_words() -> None:
    summary = {
        "files_loaded": 3,
        "files_duplicate": 1,
        "files_unreadable": 0,
        "rows_loaded": 1200,
        "rows_quarantined": 2,
        "files_skipped": 1,
    }
    text = summary_markdown(summary, [(2021, 5, "Z02", "indicator_values", "missing", "late")])
    assert "| 行：已入库 | 1,200 |" in text
    assert "## 报送情况变化（1 项）" in text
    assert "| 2021-05 | Z02 | 指标数据 | 未报送 | 迟报 |" in text
    assert "| 跳过（不是报送文件） | 1 |" in text
    assert "无变化。" in summary_markdown(summary, [])


def test_the_summary_lists_the_first_changes_and_counts_the_rest() -> None:
    summary = dict.fromkeys(
        ("files_loaded", "files_duplicate", "files_unreadable", "rows_loaded", "rows_quarantined", "files_skipped"), 0
    )
    changes = [
        (2021, month, f"Z{unit:04d}", "indicator_values", None, "missing")
        for month in range(1, 13)
        for unit in range(100)
    ]
    text = summary_markdown(summary, changes)
    assert f"## 报送情况变化（{len(changes)} 项）" in text
    assert text.count("| 未报送 |") == LISTED_CHANGES
    assert f"另有 {len(changes) - LISTED_CHANGES:,} 项未列出" in text
    assert "| 2021-12 | Z0000 |" in text and "| 2021-01 |" not in text, "the latest months first"


def _artifacts(flow_run_id) -> dict[str, object]:
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact for artifact in found}


def test_a_run_publishes_its_summary_and_the_targets_behind(tmp_path: Path) -> None:
    from mubiao.flows.run import mubiao_run

    inbox, warehouse = write_zone(tmp_path / "inbox"), tmp_path / "wh" / "warehouse.duckdb"
    first = mubiao_run(inbox=inbox, warehouse=warehouse, settle_seconds=0, return_state=True)
    artifacts = _artifacts(first.state_details.flow_run_id)
    assert set(artifacts) == {SUMMARY_KEY, BEHIND_KEY}

    statuses = query(warehouse, "select count(*) as n from marts.submission_status")[0]["n"]
    summary = artifacts[SUMMARY_KEY].data
    assert f"## 报送情况变化（{statuses} 项）" in summary, "on the first run every status is new"
    files = query(warehouse, "select count(*) as n from audit.files where status = 'loaded'")[0]["n"]
    assert f"| 文件：已入库 | {files} |" in summary

    behind = query(
        warehouse,
        "select indicator_name from marts.target_completion "
        "where status in ('behind', 'not_met') order by year, indicator_code",
    )
    assert behind, "the zone has targets behind"
    table = artifacts[BEHIND_KEY].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert [row["指标"] for row in rows] == [row["indicator_name"] for row in behind]
    assert {row["状态"] for row in rows} <= {"滞后", "未完成"}

    again = mubiao_run(inbox=inbox, warehouse=warehouse, settle_seconds=0, return_state=True)
    assert "无变化。" in _artifacts(again.state_details.flow_run_id)[SUMMARY_KEY].data
