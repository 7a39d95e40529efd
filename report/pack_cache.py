"""What the meeting pack has already drawn, kept by the sha256 of its data: a page, a chart, a font subset, a workbook,
a block of the workbook's list of files.

A month's run changes a few of the year's figures; the font subset and the workbook cost most of a pack's write
(about 0.4 s and 0.2 s at S), and an entry whose data has not changed is the same bytes as before. Each entry is
named by the hash of what it was made from and of the code that made it (`fingerprint`), so a change in either makes
a new entry and an old one is never read for new data. Entries are written whole; the least recently used beyond
KEPT, and the blocks of files the last write did not use, are removed after each write.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from mubiao.foundation.whole_files import remove_half_written, written_whole

KEPT = 72
"""Entries kept: a page, its three charts, its font subset and its workbook are six, so a dozen packs (a year's
cuts)."""
LIBRARIES = ("fonttools", "jinja2", "xlsxwriter", "noto-cjk-sans-otc")
LATEST_ONLY = ("files",)
"""Kinds kept only as the last pack used them: 数据质量's blocks of rows, the same in every pack of a warehouse
(audit.files is the warehouse's, not a year's), whose last block changes with each month's files."""


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """The code that draws the pack: report/'s modules and templates and the libraries' versions."""
    digest = hashlib.sha256()
    package = resources.files("mubiao.report")
    for entry in sorted([*package.iterdir(), *package.joinpath("templates").iterdir()], key=lambda e: e.name):
        if entry.name.endswith((".py", ".j2", ".css")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}\0".encode())
    return digest.digest()


def key(kind: str, data: object) -> str:
    """The entry's name: `kind` and the sha256 of the code and of `data`'s repr (dicts, lists, numbers, dates and
    text, whose reprs are exact)."""
    digest = hashlib.sha256(fingerprint())
    digest.update(kind.encode() + b"\0" + repr(data).encode())
    return f"{kind}-{digest.hexdigest()}"


def digest(data: object) -> str:
    """The sha256 of `data`'s repr, to key several entries by the same large data: a pack's repr at M is 20 MB
    (audit.files' 48,000 rows), 0.13 s to make, and its page and its workbook are both kept by it."""
    return hashlib.sha256(repr(data).encode()).hexdigest()


class PackCache:
    """A folder of entries; `None` in its place (`made`) draws everything afresh."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)
        remove_half_written(folder)

    def bytes(self, kind: str, data: object, make: Callable[[], bytes]) -> bytes:
        """The entry for (`kind`, `data`), made by `make` and kept when there is none."""
        path = self.folder / key(kind, data)
        self.used.add(path.name)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            content = make()
            with written_whole(path) as partial:
                partial.write_bytes(content)
            return content
        os.utime(path)  # recently used: kept by `prune`
        return content

    def prune(self) -> None:
        """Remove the entries beyond the KEPT most recently used, and those of a LATEST_ONLY kind that this cache's
        pack used but not these; none that it used (a workbook of many blocks of files keeps them all)."""
        entries = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        renewed = tuple(f"{kind}-" for kind in LATEST_ONLY if any(name.startswith(f"{kind}-") for name in self.used))
        for stale in [*entries[KEPT:], *(entry for entry in entries if renewed and entry.name.startswith(renewed))]:
            if stale.name not in self.used:
                stale.unlink(missing_ok=True)


def made(cache: PackCache | None, kind: str, data: object, make: Callable[[], str]) -> str:
    """`make()`'s text, from `cache` when it holds the entry for (`kind`, `data`)."""
    if cache is None:
        return make()
    return cache.bytes(kind, data, lambda: make().encode("utf-8")).decode("utf-8")
