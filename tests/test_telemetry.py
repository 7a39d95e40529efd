"""Telemetry off by default: an office PC is often offline, and nothing about its work leaves it."""

from __future__ import annotations

import os
from pathlib import Path

from prefect._internal.analytics.ci_detection import CI_ENV_VARS

from tests.test_sql_signals import Terminal

TELEMETRY_SETTINGS = ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED", "GX_ANALYTICS_ENABLED")


def test_prefect_in_a_users_terminal_neither_announces_nor_records_telemetry(tmp_path: Path):
    """In a terminal, as a new user (no Prefect home yet), where Prefect would record its first use to send it."""
    env = {k: v for k, v in os.environ.items() if k not in (*TELEMETRY_SETTINGS, *CI_ENV_VARS)}
    env = {k: v for k, v in env.items() if not k.startswith("PREFECT_")}
    env.update(HOME=str(tmp_path), PREFECT_HOME=str(tmp_path / ".prefect"))
    terminal = Terminal("serve", "--inbox", str(tmp_path), env=env)
    try:
        printed = terminal.read_to_end()
    finally:
        terminal.close()
    assert printed.strip().startswith("错误：未设置 PREFECT_API_URL") and len(printed.strip().splitlines()) == 1, (
        printed
    )
    assert not (tmp_path / ".prefect" / ".sdk_telemetry").exists()
