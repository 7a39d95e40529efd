"""Files written whole or not at all: under a temporary name beside them, put in their place once complete.

A reader (a browser, Excel, a clerk's file manager) sees the old file or the new one, never half of one; a write
that fails (a full disk) leaves the old file as it was and no temporary file; one killed leaves a hidden
`.<name>.partial`, which the next writer of that folder removes (`remove_half_written`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PARTIAL = ".partial"


@contextlib.contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """A name to write `path`'s content to, renamed over `path` when the block succeeds, removed when it fails."""
    partial = path.with_name(f".{path.name}{PARTIAL}")
    try:
        yield partial
        os.replace(partial, path)
    except OSError as error:
        if error.filename in (None, str(partial)):
            error.filename = str(path)  # a failed write names no file: the one that was not written
        raise
    finally:
        partial.unlink(missing_ok=True)


def remove_half_written(folder: Path) -> None:
    """The temporary files `written_whole` left in `folder` when its process was killed."""
    for partial in folder.glob(f".*{PARTIAL}"):
        partial.unlink(missing_ok=True)
