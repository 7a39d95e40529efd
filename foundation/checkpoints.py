"""Named moments of a run where a crash-safety test can make it die, or a fault-injection test make its disk fail.

`checkpoint(name)` does nothing unless a test arms it with `MUBIAO_KILL_AT=<name>` in the run's environment.
Armed, the process that reaches the moment SIGKILLs its own process group: the run and its reading processes
alike, with no cleanup and no `finally`, as a power cut or an OOM kill would. A test starts the run in a
session of its own (`start_new_session=True`), so that the group is the run's alone.

With `MUBIAO_FAULT_FROM=<name>` (and `MUBIAO_FAULT_UNTIL=<name>`), the moment starts (ends) the fault that
tests/disk_faults.c, loaded with LD_PRELOAD, injects into the disk's calls.
"""

from __future__ import annotations

import ctypes
import os
import signal

from mubiao.foundation.settings import read_settings

CHECKPOINTS = (
    "landing",  # the first new file copied into the landing store, the rest not yet
    "landed",  # every new file landed, nothing recorded
    "copied",  # the published warehouse copied to the private build file
    "ledger-opened",  # arrivals recorded in the private copy, no row loaded
    "ingested-units",  # the first kind loaded in the private copy
    "ingested",  # every kind loaded, the files' counts not yet in the ledger
    "committed",  # rows and ledger complete in the private copy, marts not rebuilt
    "building-marts",  # the first mart rebuilt in the open build transaction
    "built",  # marts committed, the connection still open (its WAL not folded in)
    "closed",  # the private copy closed, not yet renamed over the published file
    "published",  # the new warehouse published, the Data Docs not yet built
)


def checkpoint(name: str) -> None:
    settings = read_settings()
    if settings.kill_at == name:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    for moment, switch in ((settings.fault_from, "mubiao_fault_arm"), (settings.fault_until, "mubiao_fault_disarm")):
        if moment == name:
            getattr(ctypes.CDLL(None), switch)()
