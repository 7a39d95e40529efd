"""An inbox's scan kept in a file, so that the run after a look for news lists again only the folders changed since.

Only what a later scan takes again is kept (`Scan.walked` and each folder's `Listing`): a later `scan(since=…)`
rebuilds the files found and passed over from them. The file is JSON, not pickle: the flow's parameter names
it, and reading it runs no code whatever it holds. Names that are not UTF-8 stay as Python keeps them
(surrogate escapes, which JSON carries as `\\udcXX`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mubiao.pipelines.intake.inbox import Listing, Passed, Scan

_written: dict[str, tuple[tuple[int, int, int] | None, Scan]] = {}
"""The scan this process last kept, by its file, with the file's identity as written: the flow that reads it runs
in the same process (the command's, the worker's), where parsing the file again took 0.22 s at M (48,000 files)."""


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def write_scan(found: Scan, path: Path) -> None:
    """Keep `found`'s listings in `path`: a file's entry is its name in its folder, its name under the inbox and
    its mtime; a subfolder's, its name; a passed entry's, its name under the inbox and the reason."""
    inbox, skipped = found.walked
    folders = {}
    for key, listing in found.folders.items():
        items: list = []
        for item in listing.items:
            if isinstance(item, str):
                items.append(os.path.basename(item))
            elif isinstance(item, Passed):
                items.append([item.name, item.reason])
            else:
                items.append(list(item))
        folders[key] = [_folder_path(inbox, key), listing.stamp, listing.at, listing.reusable, items]
    path.write_text(json.dumps({"inbox": inbox, "skipped": sorted(skipped), "folders": folders}), encoding="ascii")
    _written.clear()
    _written[str(path)] = (_identity(path), Scan(folders=found.folders, walked=found.walked))


def read_scan(path: Path) -> Scan | None:
    """The scan `write_scan` kept in `path`, or None when there is none to read (the run then walks in full).
    The scan this process wrote there is taken as it was, once, when the file is still the one it wrote."""
    identity, written = _written.pop(str(path), (None, None))
    if written is not None and identity is not None and identity == _identity(path):
        return written
    try:
        kept = json.loads(path.read_text(encoding="ascii"))
        folders = {key: _listing(*fields) for key, fields in kept["folders"].items()}
        return Scan(folders=folders, walked=(kept["inbox"], frozenset(kept["skipped"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _listing(folder: str, stamp: int, at: int, reusable: bool, kept: list) -> Listing:
    items: list = []
    for item in kept:
        if isinstance(item, str):
            items.append(os.path.join(folder, item))
        elif len(item) == 2:
            items.append(Passed(*item))
        else:
            items.append(tuple(item))
    return Listing(stamp, at, items, reusable)


def _folder_path(inbox: str, key: str) -> str:
    """The folder as the walk listed it: the inbox as given, or a folder under it by its name there."""
    return os.path.join(inbox, key) if key else inbox
