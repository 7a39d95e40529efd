"""Flushing to disk: a file or folder with fsync(2), a whole filesystem with syncfs(2) where it can be trusted."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path


def fsync(path: Path) -> None:
    """Flush a file or a folder to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reports_errors(release: str) -> bool:
    """Whether a Linux kernel of this release reports write-back errors from syncfs(2): 5.8 and later."""
    try:
        major, minor = (int(part) for part in release.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 8)


_SYNCFS = (
    getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    if sys.platform == "linux" and _reports_errors(os.uname().release)
    else None
)
"""syncfs(2), where it can be trusted; not on older kernels (Kylin V10 and UOS ship 4.19): fsync each file there."""


def syncfs(folder: Path) -> bool:
    """Flush the whole filesystem that holds `folder`, if this system has a syncfs(2) to trust; else False."""
    if _SYNCFS is None:
        return False
    handle = os.open(folder, os.O_RDONLY)
    try:
        if _SYNCFS(handle) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(folder))
    finally:
        os.close(handle)
    return True
