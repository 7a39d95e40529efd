"""A later scan of a run lists again only the folders that changed since its first (pipelines/intake/inbox.py), and
finds what came or went meanwhile."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mubiao.pipelines.intake import inbox as inbox_module
from mubiao.pipelines.intake.inbox import scan


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
