"""One settings object: every MUBIAO_* variable the code reads is declared there, and a bad value is one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mubiao.foundation.settings import BadSetting, Settings, read_settings

ROOT = Path(__file__).parents[1]
MUBIAO = str(Path(sys.executable).with_name("mubiao"))
TESTS_OWN = {"MUBIAO_FUZZ_FILES", "MUBIAO_FUZZ_KILLS", "MUBIAO_FAULT", "MUBIAO_FAULT_TIMES", "MUBIAO_FAULT_LOG"}


def test_every_variable_named_in_the_code_and_the_docs_is_a_setting():
    named = set()
    for folder in ("cli", "flows", "report", "warehouse", "pipelines", "foundation"):
        for path in (ROOT / folder).rglob("*.py"):
            named |= set(re.findall(r"MUBIAO_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    for doc in ("README.md", "docs/design.md"):
        named |= set(re.findall(r"MUBIAO_[A-Z_]+[A-Z]", (ROOT / doc).read_text(encoding="utf-8")))
    declared = {f"MUBIAO_{name.upper()}" for name in Settings.model_fields}
    assert named - TESTS_OWN <= declared, sorted(named - TESTS_OWN - declared)


def test_settings_come_from_the_environment_and_blank_is_unset(monkeypatch):
    monkeypatch.setenv("MUBIAO_WAREHOUSE", "")
    monkeypatch.setenv("MUBIAO_HELD_WAIT_SECONDS", "2.5")
    monkeypatch.setenv("MUBIAO_SERVED_PATHS", '{"warehouse": "/srv/w.duckdb"}')
    settings = read_settings()
    assert settings.warehouse == Path("mubiao-data") / "warehouse.duckdb"
    assert settings.held_wait_seconds == 2.5 and settings.served_paths == {"warehouse": "/srv/w.duckdb"}


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("MUBIAO_DUE_DAY", "40", "环境变量 MUBIAO_DUE_DAY 应为 1 到 28 之间的整数，现为 '40'"),
        ("MUBIAO_SETTLE_SECONDS", "-1", "环境变量 MUBIAO_SETTLE_SECONDS 应为不小于 0 的秒数，现为 '-1'"),
    ],
)
def test_a_bad_setting_stops_a_command_in_one_line(tmp_path, variable, value, said):
    with pytest.raises(BadSetting, match=said):
        read_settings({variable: value})
    env = dict(os.environ, **{variable: value})
    done = subprocess.run(
        [MUBIAO, "run", "--inbox", str(tmp_path)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and done.stderr.strip() == f"错误：{said}", done.stderr
    assert not (tmp_path / "mubiao-data").exists()


def test_only_serve_starts_the_serving_process(tmp_path):
    """`mubiao serving` is what `mubiao serve` becomes, its paths pinned; started by hand, it serves nothing."""
    from mubiao.flows.deployments import Served

    served = Served(
        inbox=tmp_path,
        warehouse=tmp_path / "w.duckdb",
        cron="0 7 * * *",
        timezone="Asia/Shanghai",
        due_day=5,
        remind_days=3,
        notify_block=None,
        trusted_network=False,
    ).model_dump_json()
    env = {key: value for key, value in os.environ.items() if key != "MUBIAO_SERVED_PATHS"}
    done = subprocess.run([MUBIAO, "serving", served], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr.strip() == "错误：只能由 mubiao serve 启动", done.stderr
