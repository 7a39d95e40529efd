"""A run tells whoever listens (the command's progress bar) the files it will read, each part read and each
chunk's rows, from what its steps returned."""

from __future__ import annotations

import logging
from pathlib import Path

from tests.synthetic_zone import write_zone


class Told(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.steps: list = []

    def emit(self, record: logging.LogRecord) -> None:
        if step := getattr(record, "advance", None):
            self.steps.append(step)


def test_a_run_tells_the_files_it_reads_and_the_rows_it_loads(tmp_path: Path) -> None:
    from mubiao.flows.progress import listening
    from mubiao.flows.run import mubiao_run

    inbox = write_zone(tmp_path / "inbox")
    told = Told()
    with listening(told):
        summary = mubiao_run(inbox=inbox, warehouse=tmp_path / "wh" / "warehouse.duckdb", settle_seconds=0)
    files = summary["files_loaded"] + summary["files_unreadable"]
    assert [step.total for step in told.steps if step.total is not None] == [files] and files > 10
    assert sum(step.files for step in told.steps) == files
    assert sum(step.rows for step in told.steps) == summary["rows_loaded"] + summary["rows_quarantined"] > 0
    heard = len(told.steps)
    mubiao_run(inbox=inbox, warehouse=tmp_path / "wh" / "warehouse.duckdb", due_day=6)  # a rebuild, outside the block
    assert len(told.steps) == heard, "nobody is told once the block ends"
