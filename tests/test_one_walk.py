"""A later scan of a run lists again only the folders that changed since its first (pipelines/intake/inbox.py), and
finds what came or went meanwhile."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from mubiao.pipelines.intake import inbox as inbox_module
from mubiao.pipelines.intake.inbox import scan
from mubiao.pipelines.intake.walk_file import read_scan, write_scan
from tests.conftest import INBOX, query


def _aged(inbox: Path) -> None:
    """Every file and folder of `inbox` last modified an hour ago, as a month's old folders are."""
    an_hour_ago = time.time() - 3600
    for path in [*inbox.rglob("*"), inbox]:
        os.utime(path, (an_hour_ago, an_hour_ago), follow_symlinks=False)


@pytest.fixture
def listed(monkeypatch) -> list[str]:
    """The folders os.scandir lists from here on."""
    folders: list[str] = []
    real = os.scandir

    def counting(path=".", *args):
        folders.append(str(path))
        return real(path, *args)

    monkeypatch.setattr(inbox_module.os, "scandir", counting)
    return folders


def test_a_scan_since_an_earlier_one_lists_again_only_the_folders_that_changed(tmp_path: Path, listed) -> None:
    inbox = tmp_path / "inbox"
    for name in ("一月/a.csv", "一月/b.csv", "二月/c.csv", "三月/d.csv", "三月/深/e.csv", "链/f.csv"):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text(name, encoding="utf-8")
    (inbox / "链" / "g.csv").symlink_to(inbox / "一月" / "a.csv")
    _aged(inbox)
    first = scan(inbox)
    (inbox / "一月" / "new.csv").write_text("new", encoding="utf-8")
    (inbox / "二月" / "c.csv").unlink()

    listed.clear()
    again = scan(inbox, since=first)
    assert sorted(Path(p).relative_to(inbox).as_posix() for p in listed) == ["一月", "二月", "链"], (
        "the top folder, 三月 and 深 are taken from the first scan; the folder with a link is always listed"
    )
    fresh = scan(inbox)
    assert again.found == fresh.found
    assert again.passed == fresh.passed
    assert [name for _, name, _ in again.found] == [
        "一月/a.csv",
        "一月/b.csv",
        "三月/d.csv",
        "三月/深/e.csv",
        "链/f.csv",
        "一月/new.csv",
    ]
    other = scan(tmp_path)  # the same folders, under other names
    listed.clear()
    scan(inbox, since=other)
    assert len(listed) == 6, "a scan of another folder is never taken for this one's"


def test_a_folder_changed_just_before_its_listing_is_listed_again(tmp_path: Path, listed) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = scan(inbox)  # its mtime is now: a file may come within the same tick, unseen by the mtime
    (inbox / "a.csv").write_text("a", encoding="utf-8")
    os.utime(inbox, ns=(first.folders[""].stamp, first.folders[""].stamp))
    assert [name for _, name, _ in scan(inbox, since=first).found] == ["a.csv"]


def test_a_kept_scan_serves_a_later_scan_as_the_scan_itself_would(tmp_path: Path, listed) -> None:
    inbox = tmp_path / "inbox"
    for name in ("一月/a.csv", "二月/b.csv", "二月/说明.md", "三月/深/c.csv"):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text(name, encoding="utf-8")
    gbk = os.fsencode(inbox / "一月") + b"/" + "统计.csv".encode("gbk")  # a name that is not UTF-8
    Path(os.fsdecode(gbk)).write_text("gbk", encoding="utf-8")
    (inbox / "空").mkdir()
    _aged(inbox)
    first = scan(inbox)
    write_scan(first, tmp_path / "kept.walk")
    (inbox / "二月" / "new.csv").write_text("new", encoding="utf-8")

    fresh = scan(inbox)
    for read in ("as this process kept it", "parsed from the file, as another process reads it"):
        listed.clear()
        again = scan(inbox, since=read_scan(tmp_path / "kept.walk"))
        assert [Path(p).relative_to(inbox).as_posix() for p in listed] == ["二月"], read
        assert again.found == fresh.found and again.passed == fresh.passed, read
        assert again.modified == fresh.modified, read
    write_scan(first, tmp_path / "rewritten.walk")
    (tmp_path / "rewritten.walk").write_text('{"inbox": "', encoding="ascii")
    assert read_scan(tmp_path / "rewritten.walk") is None, "a file changed since it was kept is read as it is now"
    assert read_scan(tmp_path / "none.walk") is None
    (tmp_path / "torn.walk").write_text('{"inbox": "', encoding="ascii")
    assert read_scan(tmp_path / "torn.walk") is None, "a torn file is no scan: the run walks in full"


def _submission(values: str) -> str:
    return f"单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\n{values}\n"


def _month_after_the_first(run, inbox: Path) -> Path:
    """A warehouse of a first run on `inbox` (its references and a month in 一月/), then the next month's file in
    a folder of its own (二月/): news for the next run. Everything last modified an hour ago."""
    files = {"名录/units.csv": INBOX["units.csv"], "名录/catalogue.csv": INBOX["catalogue.csv"]}
    files |= {"一月/values.csv": _submission("U1,GDP,2016-12,113.1,亿元,")}
    for name, text in files.items():
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text(text, encoding="utf-8")
    _aged(inbox)
    warehouse = run(inbox)
    (inbox / "二月").mkdir()
    (inbox / "二月" / "values.csv").write_text(_submission("U1,GDP,2017-01,10.5,亿元,"), encoding="utf-8")
    _aged(inbox)
    return warehouse


def test_a_run_after_the_look_lists_again_only_what_changed_and_loses_nothing(run, tmp_path: Path, listed, monkeypatch):
    from mubiao.pipelines.intake import walk_file

    inbox = tmp_path / "inbox"
    warehouse = _month_after_the_first(run, inbox)
    kept_scans: list[Path] = []
    real = walk_file.write_scan

    def then_the_inbox_changes(found, path: Path) -> None:
        """Between the command's look and its run: a file comes in the folder of the news and in a new folder,
        and a file landed before and the news are both rewritten in place (their folders' mtime unchanged)."""
        real(found, path)
        kept_scans.append(path)
        (inbox / "二月" / "late.csv").write_text(_submission("U1,GDP,2017-02,20.5,亿元,"), encoding="utf-8")
        (inbox / "三月").mkdir()
        (inbox / "三月" / "new.csv").write_text(_submission("U1,GDP,2017-03,30.5,亿元,"), encoding="utf-8")
        (inbox / "一月" / "values.csv").write_text(_submission("U1,GDP,2016-12,113.7,亿元,"), encoding="utf-8")
        (inbox / "二月" / "values.csv").write_text(_submission("U1,GDP,2017-01,10.7,亿元,"), encoding="utf-8")
        listed.clear()

    monkeypatch.setattr(walk_file, "write_scan", then_the_inbox_changes)
    run(inbox)
    assert kept_scans and not kept_scans[0].exists(), "the kept scan goes with the command"
    walked = {Path(p).relative_to(inbox).as_posix() for p in listed if Path(p).is_relative_to(inbox)}
    assert walked == {".", "二月", "三月"}, "名录 and 一月 are taken from the look's scan, not listed again"
    values = query(warehouse, "select year, month, value from core.zone_indicator_values order by year, month")
    assert [(v["year"], v["month"], float(v["value"])) for v in values] == [
        (2016, 12, 113.7),
        (2017, 1, 10.7),
        (2017, 2, 20.5),
        (2017, 3, 30.5),
    ], "every file that came or changed between the look and the run is taken in, as it stands"


def test_the_warm_worker_s_run_takes_the_scan_of_its_own_look(mubiao, run, tmp_path: Path, listed, monkeypatch):
    from mubiao.flows import worker
    from mubiao.pipelines.intake import walk_file

    inbox = tmp_path / "inbox"
    warehouse = _month_after_the_first(run, inbox)
    real = walk_file.write_scan

    def kept(found, path: Path) -> None:
        real(found, path)
        listed.clear()

    monkeypatch.setattr(walk_file, "write_scan", kept)
    server = worker._Server(worker.socket_path(warehouse), threading.Lock())  # the worker's, in this process
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    finally:
        server.shutdown()
        server.server_close()
        worker.socket_path(warehouse).unlink()
    assert "由工作进程运行" in result.output and "1 / 0 / 0" in result.output
    assert [p for p in listed if Path(p).is_relative_to(inbox)] == [], "no folder changed since the worker looked"
