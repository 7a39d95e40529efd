"""Landing waits for a file that is still being written, and costs nothing for one that is not."""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from pathlib import Path

import pytest

from mubiao.pipelines.intake.file_stats import stat_key
from mubiao.pipelines.intake.inbox import scan, scan_inbox
from mubiao.pipelines.intake.landing import (
    Known,
    StillBeingWritten,
    has_news,
    receive,
    sha256_of,
    wait_until_settled,
)


def _old(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    return path


def test_files_written_long_ago_are_taken_without_waiting(tmp_path: Path) -> None:
    files = [_old(tmp_path / f"{i}.csv", "a,b\n1,2\n") for i in range(50)]
    started = time.monotonic()
    assert wait_until_settled(files, interval=2) is False, "it says it did not wait"
    assert time.monotonic() - started < 0.5


def test_a_file_being_written_is_waited_for_until_it_stops_changing(tmp_path: Path) -> None:
    growing = tmp_path / "growing.csv"
    growing.write_text("单位代码,指标代码\n", encoding="utf-8")

    def writer() -> None:
        for i in range(4):
            time.sleep(0.15)
            with growing.open("a", encoding="utf-8") as handle:
                handle.write(f"XZ0{i},GDP\n")

    thread = threading.Thread(target=writer)
    thread.start()
    started = time.monotonic()
    assert wait_until_settled([growing, _old(tmp_path / "old.csv", "x\n")], interval=0.4) is True
    waited = time.monotonic() - started
    thread.join()
    assert growing.read_text(encoding="utf-8").count("\n") == 5, "the wait ended after the last write"
    assert 0.6 <= waited < 3, waited


def test_a_file_that_comes_while_receive_waits_is_received_with_the_others(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _old(inbox / "old.csv", "a\n")
    (inbox / "young.csv").write_text("b\n", encoding="utf-8")
    late = threading.Timer(0.1, lambda: (inbox / "late.csv").write_text("c\n", encoding="utf-8"))
    late.start()
    arrivals = receive(inbox, {}, settle=0.4).arrivals
    late.join()
    assert sorted(a.file_name for a in arrivals) == ["late.csv", "old.csv", "young.csv"]


def test_a_file_that_never_settles_is_a_transient_error(tmp_path: Path) -> None:
    busy = tmp_path / "busy.csv"
    busy.write_text("x\n", encoding="utf-8")
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with busy.open("a", encoding="utf-8") as handle:
                handle.write("1\n")
            time.sleep(0.05)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with pytest.raises(StillBeingWritten, match="文件仍在写入：busy.csv"):
            wait_until_settled([busy], interval=0.2, rounds=3)
    finally:
        stop.set()
        thread.join()
    assert isinstance(StillBeingWritten("x"), OSError), "an I/O error, so the receive task retries it"


def test_receive_takes_the_settled_content_of_a_young_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    young = inbox / "2017-03.csv"
    young.write_text("unit_code,indicator_code\n", encoding="utf-8")
    timer = threading.Timer(0.2, lambda: young.write_text("unit_code,indicator_code\nXZ01,GDP\n", encoding="utf-8"))
    timer.start()
    [arrival] = receive(inbox, {}, settle=0.5).arrivals
    timer.join()
    assert arrival.size_bytes == len("unit_code,indicator_code\nXZ01,GDP\n")


class Heard(logging.Handler):
    """What a run told: its waits."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if waiting := getattr(record, "waiting", None):
            self.waits.append(waiting)


def test_the_receive_task_retries_a_file_that_outlasts_the_wait_and_takes_it_once_settled(tmp_path: Path) -> None:
    from mubiao.flows.news import Published
    from mubiao.flows.progress import listening
    from mubiao.flows.retries import can_pass
    from mubiao.flows.tasks import receive_inbox

    inbox, warehouse = tmp_path / "inbox", tmp_path / "wh" / "warehouse.duckdb"
    inbox.mkdir()
    busy = inbox / "2017-03.csv"
    busy.write_text("unit_code,indicator_code\n", encoding="utf-8")

    def writer() -> None:  # still copying for 2.5 s: longer than the first attempt waits (10 × 0.1 s)
        for i in range(125):
            with busy.open("a", encoding="utf-8") as handle:
                handle.write(f"XZ{i:02d},GDP\n")
            time.sleep(0.02)

    thread = threading.Thread(target=writer)
    thread.start()
    started = time.monotonic()
    heard = Heard()
    with listening(heard):
        [arrival] = receive_inbox(inbox, warehouse, Published({}, set(), False, stats=None), 0.1).arrivals
    thread.join()
    assert heard.waits and all("秒后自动重试（第" in line for line in heard.waits), "each wait is told to a listener"
    assert time.monotonic() - started >= 2, "the first attempt failed and the retry came after the backoff"
    assert arrival.size_bytes == busy.stat().st_size
    assert can_pass(StillBeingWritten("x"))
    assert can_pass(OSError(errno.EIO, "Input/output error"))
    assert not can_pass(ValueError("a defect")), "only I/O errors are retried"
    assert not can_pass(OSError(errno.ENOSPC, "No space left on device")), "a full disk stays full"


def test_news_is_a_file_not_yet_recorded_under_its_name(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text("x", encoding="utf-8")
    sha = sha256_of(inbox / "a.csv")
    assert has_news(inbox, Known.of({}))
    assert not has_news(inbox, Known.of({sha: {"a.csv"}}))
    assert has_news(inbox, Known.of({sha: {"other-name.csv"}})), "the same content under a new name is a duplicate"
    (inbox / "a.csv").write_text("y", encoding="utf-8")
    assert has_news(inbox, Known.of({sha: {"a.csv"}})), "new content under a known name"
    warehouse_folder = inbox / "mubiao-data"
    warehouse_folder.mkdir()
    (warehouse_folder / "warehouse.duckdb").write_text("z", encoding="utf-8")
    (inbox / "a.csv").write_text("x", encoding="utf-8")
    assert not has_news(inbox, Known.of({sha: {"a.csv"}}), skip=[warehouse_folder]), "the warehouse's own folder"


def test_a_look_hashes_only_the_files_whose_stat_does_not_vouch(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text("x", encoding="utf-8")
    now = stat_key((inbox / "a.csv").stat())
    other = {"0" * 64: {"a.csv"}}  # the ledger holds another content under the name: only hashing tells
    assert not has_news(inbox, Known.of(other, {"a.csv": now})), "a vouched stat is taken for the content"
    assert has_news(inbox, Known.of(other, {"a.csv": (now[0], now[1] - 1, *now[2:])})), "a moved stat is hashed"
    assert has_news(inbox, Known.of(other)), "a file no stat vouches for is hashed"


def _every_kind_of_entry(inbox: Path) -> None:
    """Submissions in folders, a register, hidden and lock files, notes, an empty folder, links and a pipe."""
    an_hour_ago = int(time.time()) - 3600  # one second for all, so that the names order them
    for name in (
        "一月/镇A.csv",
        "一月/深/镇B.xlsx",
        "a.",
        "二月/收文登记.csv",
        "linked/t.csv",  # taken
        ".隐藏/c.csv",
        ".dot.csv",
        "~$锁定.xlsx",
        "说明.MD",
        "一月/notes.md",
        "mubiao-data/landing/l.csv",
    ):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text(name, encoding="utf-8")
        os.utime(inbox / name, (an_hour_ago, an_hour_ago))
    (inbox / "收文登记.csv").write_text("文件名,收文时间\n一月/镇A.csv,2017-02-03 09:00\n", encoding="utf-8")
    (inbox / "空").mkdir()
    (inbox / "link.csv").symlink_to(inbox / "一月" / "镇A.csv")  # taken as its target, once
    (inbox / "broken.csv").symlink_to(inbox / "nowhere.csv")
    (inbox / "loop-a.csv").symlink_to(inbox / "loop-b.csv")
    (inbox / "loop-b.csv").symlink_to(inbox / "loop-a.csv")
    (inbox / "folder-link").symlink_to(inbox / "linked", target_is_directory=True)
    (inbox / "passwd.csv").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "pipe.csv")


def test_the_inbox_scan_takes_submissions_and_says_what_it_passes_over(tmp_path: Path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    _every_kind_of_entry(inbox)
    taken = ["一月/镇A.csv", "a.", "linked/t.csv", "一月/深/镇B.xlsx", "二月/收文登记.csv"]

    found = scan(inbox, skip=[inbox / "mubiao-data"])
    assert [name for _, name, _ in found.found] == taken, "the register's file first (2017), then by name"
    assert found.found[0][2].isoformat() == "2017-02-03T09:00:00+08:00"
    assert [path for path, _, _ in found.found] == [inbox / name for name in taken]
    assert sorted((p.name, p.reason) for p in found.passed) == sorted(
        [
            (".dot.csv", "隐藏文件（名称以 . 开头）"),
            (".隐藏/", "隐藏文件夹（名称以 . 开头）"),
            ("~$锁定.xlsx", "Excel 临时锁文件（名称以 ~$ 开头），不是报送文件"),
            ("说明.MD", "说明文件（.md），不是报送文件"),
            ("一月/notes.md", "说明文件（.md），不是报送文件"),
            ("空/", "空文件夹"),
            ("link.csv", "链接指向收件箱内的文件或文件夹，已按其本身收取"),
            ("folder-link", "链接指向收件箱内的文件或文件夹，已按其本身收取"),
            ("broken.csv", "链接无效（目标不存在或链接成环）"),
            ("loop-a.csv", "链接无效（目标不存在或链接成环）"),
            ("loop-b.csv", "链接无效（目标不存在或链接成环）"),
            ("passwd.csv", "链接指向收件箱之外，未收取"),
            ("pipe.csv", "不是普通文件（管道、设备或套接字）"),
        ]
    )
    monkeypatch.chdir(tmp_path)
    relative = scan_inbox(Path("inbox"), skip=[inbox / "mubiao-data"])
    assert [name for _, name, _ in relative] == taken, "a relative inbox, the warehouse's folder given absolute"
    assert "mubiao-data/landing/l.csv" in [name for _, name, _ in scan_inbox(inbox)]
    assert scan_inbox(inbox, skip=[inbox]) == []
