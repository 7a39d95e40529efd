"""The cold command imports what its run needs: GX only when there are rows to validate (docs/design.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import INBOX


def imported(*args: str, cwd: Path) -> set[str]:
    """The modules a `mubiao` command imports, as `python -X importtime` tells them."""
    from prefect.settings import PREFECT_API_URL

    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(Path(sys.executable).with_name("mubiao")), *args],
        cwd=cwd,
        env=dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value()),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert lines, "importtime said nothing"
    return set(lines)


def test_gx_is_imported_only_by_a_run_with_rows_to_validate(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh" / "warehouse.duckdb"
    inbox.mkdir()
    (inbox / "broken.csv").write_bytes(b"\x00\x01binary\xff\xfe")
    run = ("run", "--inbox", str(inbox), "--warehouse", str(warehouse))

    unreadable_only = imported(*run, cwd=tmp_path)
    assert "mubiao.flows.run" in unreadable_only, "the flow ran"
    assert "great_expectations" not in unreadable_only
    assert "great_expectations" not in imported(*run, cwd=tmp_path), "a no-op rerun"

    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    assert "great_expectations" in imported(*run, cwd=tmp_path), "rows to validate"
