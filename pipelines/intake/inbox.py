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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Scan:
    found: list[tuple[Path, str, dt.datetime]] = field(default_factory=list)
    """(path, name under the inbox, received_at) of each submission file, in the order received."""
    passed: list[Passed] = field(default_factory=list)


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
    raw = os.fsencode(name)
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


def scan(inbox: Path, skip: Iterable[Path] = ()) -> Scan:
    """The inbox's submission files in the order received, and what it passes over; nothing under `skip`."""
    walk = _Walk(inbox, skip)
    walk.folder(str(inbox), top=True)
    result = walk.result
    registered, _ = match_register(read_register(inbox), [name for _, name, _ in result.found])
    result.found = [(path, name, registered.get(name, modified)) for path, name, modified in result.found]
    result.found.sort(key=lambda item: (item[2], item[1]))
    return result


def scan_inbox(inbox: Path, skip: Iterable[Path] = ()) -> list[tuple[Path, str, dt.datetime]]:
    """(path, name under the inbox, received_at) of each submission file, in the order received."""
    return scan(inbox, skip).found


class _Walk:
    """One walk of the inbox with os.scandir, whose entries know their type without a stat each."""

    def __init__(self, inbox: Path, skip: Iterable[Path]) -> None:
        self.root = os.path.realpath(inbox)
        self.start = len(os.path.join(str(inbox), ""))
        self.skipped = frozenset(os.path.realpath(path) for path in skip)
        self.result = Scan()

    def name(self, path: str) -> str:
        return display_name(path[self.start :].replace(os.sep, "/"))

    def pass_over(self, path: str, reason: str, folder: bool = False) -> None:
        self.result.passed.append(Passed(self.name(path) + ("/" if folder else ""), reason))

    def is_skipped(self, real: str) -> bool:
        return real in self.skipped or any(real.startswith(os.path.join(s, "")) for s in self.skipped)

    def folder(self, path: str, top: bool = False) -> None:
        real = os.path.realpath(path)
        if self.is_skipped(real):
            return
        try:
            with os.scandir(path) as found:
                entries = list(found)
        except PermissionError:
            self.pass_over(path, "无权读取此文件夹", folder=True)
            return
        if not entries and not top:
            self.pass_over(path, "空文件夹", folder=True)
        for entry in entries:
            self.entry(entry, real)

    def entry(self, entry: os.DirEntry, real_folder: str) -> None:
        if os.path.join(real_folder, entry.name) in self.skipped:
            return
        if entry.is_symlink():
            self.link(entry)
        elif entry.is_dir(follow_symlinks=False):
            if entry.name.startswith("."):
                self.pass_over(entry.path, "隐藏文件夹（名称以 . 开头）", folder=True)
            else:
                self.folder(entry.path)
        elif entry.name.startswith("~$"):
            self.pass_over(entry.path, "Excel 临时锁文件（名称以 ~$ 开头），不是报送文件")
        elif entry.name.startswith("."):
            self.pass_over(entry.path, "隐藏文件（名称以 . 开头）")
        elif entry.name.lower().endswith(".md"):
            self.pass_over(entry.path, "说明文件（.md），不是报送文件")
        elif not entry.is_file(follow_symlinks=False):
            self.pass_over(entry.path, "不是普通文件（管道、设备或套接字）")
        else:
            name = self.name(entry.path)
            if name != REGISTER_NAME:
                modified = dt.datetime.fromtimestamp(int(entry.stat(follow_symlinks=False).st_mtime), dt.UTC)
                self.result.found.append((Path(entry.path), name, modified))

    def link(self, entry: os.DirEntry) -> None:
        """A link is never followed: one to a file or folder inside the inbox is taken there, once."""
        target = os.path.realpath(entry.path)
        inside = target == self.root or target.startswith(os.path.join(self.root, ""))
        if not inside:
            self.pass_over(entry.path, "链接指向收件箱之外，未收取")
        elif self.is_skipped(target):
            self.pass_over(entry.path, "链接指向 mubiao 自己的文件，未收取")
        elif not os.path.exists(target) or _loops(entry.path):
            self.pass_over(entry.path, "链接无效（目标不存在或链接成环）")
        else:
            self.pass_over(entry.path, "链接指向收件箱内的文件或文件夹，已按其本身收取")


def _loops(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False
