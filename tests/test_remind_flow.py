"""The `mubiao-remind` flow in this process: its notices for a month nobody has reported yet, and after the due day
the list sent through a Prefect notification block to a webhook on 127.0.0.1, or a warning line when it cannot be
reached. (A served run, triggered through a real server: tests/test_prefect_server.py.)"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from tests.test_projection import write_small_zone
from tests.webhook_recorder import webhook_recorder


@pytest.fixture(scope="module")
def small_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    root = tmp_path_factory.mktemp("remind")
    inbox = write_small_zone(root / "inbox")
    warehouse = root / "wh" / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


def _webhook_block(name: str, url: str) -> str:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    CustomWebhookNotificationBlock(
        name="统计局催报", url=url, json_data={"subject": "{{subject}}", "text": "{{body}}"}
    ).save(name, overwrite=True)
    return f"custom-webhook/{name}"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_after_the_due_day_the_list_goes_through_the_offices_webhook(small_zone):
    from mubiao.flows.remind import mubiao_remind

    with webhook_recorder() as (url, received):
        block = _webhook_block("office", url)
        result = mubiao_remind(warehouse=small_zone, period="2021-07", notify_block=block)
    assert result["notices"] == 2 and result["notified"] is True
    assert sorted(p.name for p in Path(result["folder"]).glob("*.xlsx")) == [
        "2021-07_催报通知_U1_统计局.xlsx",
        "2021-07_催报通知_U2_开发局.xlsx",
    ]
    [request] = received
    assert request["json"]["subject"] == "2021年7月统计数据逾期未报齐：2 个单位（截止 2021年08月05日）"
    assert request["json"]["text"].splitlines() == [
        "统计局（U1）：指标数据未报送（缺 2 项）",
        "开发局（U2）：项目进度未报送（缺 2 项）",
    ]


def test_nothing_is_sent_without_a_block_or_before_the_due_day(small_zone, monkeypatch):
    from mubiao.flows import remind

    with webhook_recorder() as (url, received):
        block = _webhook_block("office-early", url)
        assert remind.mubiao_remind(warehouse=small_zone, period="2021-07")["notified"] is False
        monkeypatch.setattr(remind, "due_date", lambda *_: dt.date.today() + dt.timedelta(days=3))
        assert remind.mubiao_remind(warehouse=small_zone, period="2021-07", notify_block=block)["notices"] == 2
    assert received == []


def test_an_unreachable_webhook_or_a_missing_block_is_a_warning_line_not_a_failed_run(small_zone):
    from mubiao.flows.remind import mubiao_remind, send_overdue

    block = _webhook_block("office-offline", f"http://127.0.0.1:{_closed_port()}/hook")
    state = mubiao_remind(warehouse=small_zone, period="2021-07", notify_block=block, return_state=True)
    assert state.is_completed() and state.result()["notified"] is False
    warning = send_overdue(block, "主题", "正文")
    assert warning.startswith("催报通知未能发送（custom-webhook/office-offline）：") and "\n" not in warning
    assert send_overdue("custom-webhook/no-such-block", "主题", "正文").startswith("催报通知未能发送")


def test_a_served_remind_refuses_another_warehouse(small_zone, tmp_path, monkeypatch):
    from mubiao.flows.remind import mubiao_remind
    from mubiao.flows.served import pinned

    for name, value in pinned(warehouse=small_zone).items():
        monkeypatch.setenv(name, value)
    state = mubiao_remind(warehouse=tmp_path / "other.duckdb", period="2021-07", return_state=True)
    assert state.is_failed() and state.message.startswith("已拒绝：")
    assert not (tmp_path / "feedback").exists()


def test_nothing_is_pinned_after_the_served_test():
    import os

    assert not os.environ.get("MUBIAO_SERVED_PATHS")


def test_the_month_owed_and_its_due_date():
    from mubiao.flows.deployments import remind_crons
    from mubiao.foundation.errors import MubiaoError
    from mubiao.report.reminders import due_date, month_owed

    assert month_owed(dt.date(2018, 1, 2)) == (2017, 12) and month_owed(dt.date(2017, 11, 2)) == (2017, 10)
    assert due_date(2017, 12, 5) == dt.date(2018, 1, 5) and due_date(2017, 10, 10) == dt.date(2017, 11, 10)
    assert remind_crons(5, 3, notify=False) == ["0 8 2 * *"]
    assert remind_crons(10, 3, notify=True) == ["0 8 7 * *", "0 8 11 * *"]
    with pytest.raises(MubiaoError, match="--remind-days 5 无效"):
        remind_crons(5, 5, notify=False)
