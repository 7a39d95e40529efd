"""The cold command imports what its run needs: a no-op rerun neither GX nor pandas, a run of new files GX while
the server boots, without the modules GX imports for expectations mubiao does not use (docs/design.md)."""

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


def test_gx_and_pandas_are_imported_only_by_a_run_with_new_files(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh" / "warehouse.duckdb"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    run = ("run", "--inbox", str(inbox), "--warehouse", str(warehouse))

    first = imported(*run, cwd=tmp_path)
    assert {"mubiao.flows.run", "great_expectations"} <= first, "new files: the flow ran, with GX"
    assert not {"scipy.stats", "altair"} & first, "what GX imports for expectations mubiao does not use"
    rerun = imported(*run, cwd=tmp_path)
    assert not {"mubiao.flows.run", "great_expectations", "pandas", "pyarrow"} & rerun, "a no-op rerun"
