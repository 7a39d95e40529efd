"""One place turns a fault of the disk into one line (foundation/disk.py); a load looks before it leaps; what a
killed load left is gone before the next one writes; a GX config that a full disk emptied changes nothing."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

import duckdb
import pytest

from mubiao.foundation.disk import DiskFault, Need, disk_fault, free_space, require_room, size_text
from mubiao.foundation.whole_files import written_whole

CHECKPOINT_FAILED = (
    'FATAL Error: Failed to create checkpoint because of error: Could not write file "/srv/mubiao/wh.duckdb.building.wal"'
    ": No space left on device"
)
"""What DuckDB 1.4 says when its checkpoint meets a full disk (tests/disk_faults.c made it say so)."""
INVALIDATED = (
    "FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be "
    f'restarted prior to being used again.\nOriginal error: "{CHECKPOINT_FAILED.removeprefix("FATAL Error: ")}"'
)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EDQUOT, "磁盘空间不足"),
        (errno.EFBIG, "磁盘空间不足"),
        (errno.EIO, "读写错误"),
        (errno.EROFS, "只读文件系统"),
        (errno.EACCES, "无权限"),
        (errno.EPERM, "无权限"),
    ],
)
def test_each_cause_in_words_with_its_path(code: int, words: str, tmp_path: Path) -> None:
    fault = disk_fault(OSError(code, os.strerror(code), str(tmp_path / "wh.duckdb")))
    assert str(fault).startswith(f"{words}：{tmp_path / 'wh.duckdb'}（")
    assert "\n" not in str(fault)


def test_a_full_disk_says_what_is_left_and_what_the_run_needs(tmp_path: Path) -> None:
    needs = [Need(tmp_path, "仓库所在磁盘", 40 << 20), Need(tmp_path / "landing", "落地区所在磁盘", 2 << 20)]
    fault = disk_fault(OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x")), needs)
    assert f"仓库所在磁盘剩余 {size_text(free_space(tmp_path))}，本次运行约需 42 MB；请腾出空间后重试" in str(fault)


def test_other_errors_are_not_faults_of_the_disk() -> None:
    assert disk_fault(FileNotFoundError(errno.ENOENT, "No such file or directory", "/x")) is None
    assert disk_fault(ValueError("No space left on device")) is None, "only an OSError or DuckDB speaks of disks"
    assert disk_fault(duckdb.CatalogException("Table with name x does not exist!")) is None


@pytest.mark.parametrize("message", [CHECKPOINT_FAILED, INVALIDATED])
def test_duckdb_s_words_for_a_full_disk_read_the_same(message: str) -> None:
    fault = disk_fault(duckdb.FatalException(message))
    assert fault is not None and fault.errno == errno.ENOSPC
    assert str(fault).startswith("磁盘空间不足：/srv/mubiao/wh.duckdb.building.wal（")


def test_the_first_cause_is_reported_not_the_rollback_that_failed_after_it() -> None:
    def load() -> None:
        try:
            raise OSError(errno.EIO, "Input/output error", "/srv/mubiao/wh.duckdb.building.wal")
        except OSError:
            raise duckdb.TransactionException("TransactionContext Error: cannot rollback - no transaction is active")  # noqa: B904  as a failed rollback is raised

    with pytest.raises(duckdb.TransactionException) as raised:
        load()
    fault = disk_fault(raised.value)
    assert fault is not None and fault.what == "读写错误：/srv/mubiao/wh.duckdb.building.wal"


def test_a_load_stops_at_once_when_a_disk_has_less_room_than_it_needs(tmp_path: Path) -> None:
    require_room([Need(tmp_path, "仓库所在磁盘", 1 << 20)])
    short = free_space(tmp_path) + (1 << 30)
    with pytest.raises(
        DiskFault, match=rf"^磁盘空间不足：{tmp_path}（仓库所在磁盘剩余 .+，本次运行约需 {size_text(short)}"
    ):
        require_room([Need(tmp_path, "仓库所在磁盘", short - (1 << 20)), Need(tmp_path, "落地区所在磁盘", 1 << 20)])


def test_a_file_written_whole_or_not_at_all(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("old", encoding="utf-8")
    with pytest.raises(OSError) as raised, written_whole(page) as partial:
        partial.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert raised.value.filename == str(page), "the error names the file that was not written"
    assert page.read_text(encoding="utf-8") == "old" and sorted(tmp_path.iterdir()) == [page]
    with written_whole(page) as partial:
        partial.write_text("new", encoding="utf-8")
    assert page.read_text(encoding="utf-8") == "new" and sorted(tmp_path.iterdir()) == [page]


def test_what_a_killed_load_left_is_removed_by_the_next_run(mubiao, tmp_path: Path) -> None:
    from mubiao.pipelines.loading.validate import data_docs_index
    from tests.conftest import INBOX

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    site = data_docs_index(warehouse.parent).parent
    site.rename(site.with_name(site.name + ".old"))  # killed between moving the last run's pages aside and the new in
    planted = [
        warehouse.with_name("warehouse.duckdb.building"),
        warehouse.with_name("warehouse.duckdb.building.wal"),
        warehouse.with_name("warehouse.duckdb.building.tmp") / "duckdb_temp_storage-0.tmp",
        warehouse.parent / "landing" / ".incoming" / f"{'0' * 64}.partial",
        site.with_name(site.name + ".building") / "index.html",
    ]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")

    said = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse)).output
    assert "收件箱中没有新文件" in said, "a run with nothing to do removes them too"
    assert not [path for path in planted if path.exists()]
    assert not warehouse.with_name("warehouse.duckdb.building.tmp").exists()
    assert (site / "index.html").is_file() and not site.with_name(site.name + ".old").exists()


def test_a_gx_config_left_empty_by_a_full_disk_changes_nothing(mubiao, tmp_path: Path) -> None:
    """GX's file context rewrote gx/great_expectations.yml on every run, and a full disk left it empty (GX issue
    #8294): every run after failed. Validation now keeps no file of its own."""
    from tests.conftest import INBOX

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    (warehouse.parent / "gx").mkdir(parents=True)
    (warehouse.parent / "gx" / "great_expectations.yml").write_bytes(b"")
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert (warehouse.parent / "gx" / "great_expectations.yml").read_bytes() == b"", "not read, not written"
    assert sorted(p.name for p in (warehouse.parent / "gx").iterdir()) == ["great_expectations.yml", "uncommitted"]


@pytest.mark.parametrize(
    ("error", "traceback_kept"),
    [(DiskFault(errno.ENOSPC, Path("/srv/mubiao"), "请腾出空间后重试"), False), (ValueError("a bug"), True)],
)
def test_serve_logs_a_run_that_fails_in_words_in_one_line(error: Exception, traceback_kept: bool, monkeypatch) -> None:
    """Prefect's engine logs every exception of a flow with its traceback; in serve's terminal and the UI a full
    disk is the one line the command would print, and a bug keeps its traceback."""
    from logging.handlers import BufferingHandler

    from prefect import flow

    from mubiao.flows.deployments import in_words_alone

    @flow
    def failing() -> None:
        raise error

    logger, kept = logging.getLogger("prefect.flow_runs"), BufferingHandler(capacity=1000)
    monkeypatch.setattr(logger, "filters", [])  # as in serve's process: a command run in this one quiets Prefect
    logger.addFilter(in_words_alone)
    logger.addHandler(kept)  # Prefect's loggers do not propagate to the root, where pytest listens
    try:
        assert failing(return_state=True).is_failed()
    finally:
        logger.removeHandler(kept)
    logged = [r for r in kept.buffer if r.levelno >= logging.ERROR]
    assert any(str(error) in r.getMessage() for r in logged), "the engine logged the failure in its words"
    assert any(r.exc_info for r in logged) is traceback_kept
