"""What in the inbox is a submission, and what is passed over and why (docs/commands.md §4.5: any layout).

The inbox and the warehouse may lie anywhere relative to each other: side by side, one inside the other,
one folder for both. Only mubiao's own artefacts (`own_artefacts`) are left out without a word. Everything
else the walk meets is either a submission file or passed over with a reason that the run counts and
`audit.skipped` keeps: Excel's `~$` lock files, hidden files and folders, notes (`.md`), empty folders,
links (a link to a file inside the inbox is taken as that file, once; a link that leads out of the inbox
is never followed), and what cannot be read. Names are kept as the disk has them: bytes that are not
UTF-8 (a Chinese Windows archive unzipped on Linux gives GBK) are shown decoded as GB18030, or with
their raw bytes escaped.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mubiao.pipelines.intake.file_stats import RACY_NS  # a folder changed as close to its listing is listed again
from mubiao.pipelines.intake.receipts import REGISTER_NAME, match_register, read_register

ARTEFACT_FOLDERS = ("landing", "spill", "gx", "report", "known-at", "feedback")
"""Folders mubiao writes beside the warehouse file."""
ARTEFACT_SUFFIXES = ("", ".wal", ".tmp", ".lock", ".building", ".building.wal", ".building.tmp")
"""The warehouse file and the files mubiao keeps beside it, by suffix to its name (`.tmp`: DuckDB's spill folder)."""


@dataclass(frozen=True)
class Passed:
    """An entry of the inbox that is not taken, and why (in the office's words)."""

    name: str
    reason: str


Found = tuple[Path, str, dt.datetime]
"""(path, name under the inbox, received_at) of a submission file."""


@dataclass(frozen=True)
class Listing:
    """What one folder held when listed, in the walk's order: files found (their names in the folder and under the
    inbox, and their mtime), entries passed over and subfolders (their paths, walked in turn); `stamp` is the
    folder's mtime_ns, `at` when it was listed. Plain strings and numbers: a look for news makes no path and no
    time of its 48,000 files (bench size M), and a kept listing is read back as it was written."""

    stamp: int
    at: int
    items: list[tuple[str, str, float] | Passed | str]
    reusable: bool


@dataclass
class Scan:
    found: list[Found] = field(default_factory=list)
    """Each submission file, in the order received."""
    passed: list[Passed] = field(default_factory=list)
    modified: list[tuple[Path, float]] = field(default_factory=list)
    """Each submission file with its mtime as walked, so that settling re-stats only the recent ones (a list: a
    path's hash costs more than the walk's other work on it)."""
    folders: dict[str, Listing] = field(default_factory=dict, repr=False)
    """Each folder walked, by its name under the inbox: what a later scan of the run takes again if unchanged."""
    walked: tuple[str, frozenset[str]] = ("", frozenset())
    """The inbox and the folders skipped, as given: a later scan takes these listings only for the same."""
    stats: dict[str, tuple[os.stat_result, int, str]] = field(default_factory=dict, repr=False)
    """The stat of each file of a folder this scan listed (not one taken from `since`), by its name under the inbox,
    with when its folder's listing began (ns) and its path: a stat as fresh as the walk, so the file need not be
    stat'ed again."""

    def forgetting(self, paths: Iterable[Path]) -> Scan:
        """This scan without the listings of the folders holding `paths`: a scan since it lists them again."""
        start = len(os.path.join(self.walked[0], ""))
        held = {str(path.parent)[start:] for path in paths}
        folders = {key: listing for key, listing in self.folders.items() if key not in held}
        return Scan(self.found, self.passed, self.modified, folders, self.walked)

    def recent(self, seconds: float) -> list[Path]:
        """The files last modified less than `seconds` before now, by their mtime as walked."""
        now = time.time()
        return [path for path, modified in self.modified if now - modified < seconds]


def own_artefacts(warehouse: Path) -> frozenset[Path]:
    """The files and folders mubiao keeps beside `warehouse`: never submissions, wherever the inbox lies."""
    folder = warehouse.resolve().parent
    return frozenset(
        [
            *(folder / name for name in ARTEFACT_FOLDERS),
            *(folder / (warehouse.name + suffix) for suffix in ARTEFACT_SUFFIXES),
        ]
    )


def display_name(name: str) -> str:
    """A file name as text: UTF-8, else GB18030 (GBK), else its bytes with the undecodable ones escaped."""
    if _utf8(name):  # no surrogate escape: the disk's bytes were UTF-8, and the name is as decoded
        return name
    raw = os.fsencode(name)
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


def scan(
    inbox: Path,
    skip: Iterable[Path] = (),
    since: Scan | None = None,
    register: dict[str, dt.datetime] | None = None,
) -> Scan:
    """The inbox's submission files in the order received, and what it passes over; nothing under `skip`.
    `register` is the receipt register's times (None: read from the inbox).

    With `since`, an earlier scan of the run: a folder whose mtime has not changed since it was listed then (no entry
    came, went or was renamed in it) is taken from it, not listed again, unless it holds links (whose targets may
    have changed elsewhere) or had changed just before (RACY_NS). A file rewritten in place in such a folder keeps
    the mtime it had then (its received_at, unless the register says otherwise), as it would had it been rewritten
    just after a walk; its content is what is hashed, and a landed copy is checked against that hash.
    """
    walk = _Walk(inbox, skip, since, finding=True)
    walk.folder(str(inbox), top=True)
    result = walk.result
    register = read_register(inbox) if register is None else register
    if register:
        registered, _ = match_register(register, [name for _, name, _ in result.found])
        result.found = [(path, name, registered.get(name, modified)) for path, name, modified in result.found]
    result.found.sort(key=lambda item: (item[2], item[1]))
    return result


def listing(inbox: Path, skip: Iterable[Path] = ()) -> Scan:
    """The inbox walked as `scan` walks it, for a look for news: its folders' listings, what it passes over and each
    file's stat and path (`Scan.stats`), but no file found in order (`Scan.found` stays empty). The look needs only
    the names and stats, and at bench size M making a path and a time of each file and sorting them took a third of
    its walk; a run's `scan(since=…)` makes them from the listings."""
    walk = _Walk(inbox, skip, None, finding=False)
    walk.folder(str(inbox), top=True)
    return walk.result


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scan_inbox(inbox: Path, skip: Iterable[Path] = ()) -> list[Found]:
    """(path, name under the inbox, received_at) of each submission file, in the order received."""
    return scan(inbox, skip).found


class _Walk:
    """One walk of the inbox with os.scandir, whose entries know their type without a stat each."""

    def __init__(self, inbox: Path, skip: Iterable[Path], since: Scan | None, finding: bool) -> None:
        self.root = os.path.realpath(inbox)
        self.start = len(os.path.join(str(inbox), ""))
        self.skipped = frozenset(os.path.realpath(path) for path in skip)
        self.holding_skipped = frozenset(os.path.dirname(path) for path in self.skipped)
        self.result = Scan(walked=(str(inbox), self.skipped))
        self.since = since.folders if since and since.walked == self.result.walked else {}
        self.finding = finding

    def name(self, path: str) -> str:
        return display_name(path[self.start :].replace(os.sep, "/"))

    def passing(self, path: str, reason: str, folder: bool = False) -> Passed:
        return Passed(self.name(path) + ("/" if folder else ""), reason)

    def is_skipped(self, real: str) -> bool:
        return real in self.skipped or any(real.startswith(os.path.join(s, "")) for s in self.skipped)

    def folder(self, path: str, top: bool = False) -> None:
        real = os.path.realpath(path)
        if self.is_skipped(real):
            return
        key = path[self.start :]
        listing = self.unchanged(key, path) or self.listed(path, real, top)
        self.result.folders[key] = listing
        here = Path(path)  # its children are made without parsing their names (a parse costs more than a stat)
        for item in listing.items:
            if isinstance(item, str):
                self.folder(item)
            elif isinstance(item, Passed):
                self.result.passed.append(item)
            elif self.finding:
                child, name, mtime = item
                made = here._make_child_relpath(child)  # private, but pathlib of 3.11 (pinned)
                self.result.found.append((made, name, dt.datetime.fromtimestamp(int(mtime), dt.UTC)))
                self.result.modified.append((made, mtime))

    def unchanged(self, key: str, path: str) -> Listing | None:
        """The folder's listing from the earlier scan, if nothing in it can have changed since."""
        before = self.since.get(key)
        if before is None or not before.reusable:
            return None
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            return None
        return before if stamp == before.stamp and stamp < before.at - RACY_NS else None

    def listed(self, path: str, real: str, top: bool) -> Listing:
        at = time.time_ns()
        try:
            stamp = os.stat(path).st_mtime_ns
            with os.scandir(path) as found:
                entries = list(found)
        except PermissionError:
            return Listing(0, at, [self.passing(path, "无权读取此文件夹", folder=True)], reusable=False)
        items: list = [self.passing(path, "空文件夹", folder=True)] if not entries and not top else []
        items += [item for entry in entries if (item := self.entry(entry, real, at)) is not None]
        return Listing(stamp, at, items, reusable=not any(entry.is_symlink() for entry in entries))

    def entry(self, entry: os.DirEntry, real_folder: str, at: int) -> tuple[str, str, float] | Passed | str | None:
        if real_folder in self.holding_skipped and os.path.join(real_folder, entry.name) in self.skipped:
            return None
        if entry.is_symlink():
            return self.link(entry)
        if entry.is_dir(follow_symlinks=False):
            if entry.name.startswith("."):
                return self.passing(entry.path, "隐藏文件夹（名称以 . 开头）", folder=True)
            return entry.path
        if entry.name.startswith("~$"):
            return self.passing(entry.path, "Excel 临时锁文件（名称以 ~$ 开头），不是报送文件")
        if entry.name.startswith("."):
            return self.passing(entry.path, "隐藏文件（名称以 . 开头）")
        if entry.name.lower().endswith(".md"):
            return self.passing(entry.path, "说明文件（.md），不是报送文件")
        if not entry.is_file(follow_symlinks=False):
            return self.passing(entry.path, "不是普通文件（管道、设备或套接字）")
        name = self.name(entry.path)
        if name == REGISTER_NAME:
            return None
        stat = entry.stat(follow_symlinks=False)
        self.result.stats[name] = stat, at, entry.path
        return entry.name, name, stat.st_mtime

    def link(self, entry: os.DirEntry) -> Passed:
        """A link is never followed: one to a file or folder inside the inbox is taken there, once."""
        target = os.path.realpath(entry.path)
        inside = target == self.root or target.startswith(os.path.join(self.root, ""))
        if not inside:
            return self.passing(entry.path, "链接指向收件箱之外，未收取")
        if self.is_skipped(target):
            return self.passing(entry.path, "链接指向 mubiao 自己的文件，未收取")
        if not os.path.exists(target) or _loops(entry.path):
            return self.passing(entry.path, "链接无效（目标不存在或链接成环）")
        return self.passing(entry.path, "链接指向收件箱内的文件或文件夹，已按其本身收取")


def _loops(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False
