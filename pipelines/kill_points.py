"""Named places where a run can be made to die on purpose, for the crash-safety tests.

`MUBIAO_KILL_AT=<name>` makes the run SIGKILL itself when it reaches that
place: no cleanup, no `finally`, as a power cut or an OOM kill would. A reading
process that reaches it kills the run's process first (named by RUN_PID), and
the other readers die with the run. Unset, a kill point costs one dictionary
lookup.
"""

from __future__ import annotations

import contextlib
import os
import signal

KILL_POINTS = (
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


RUN_PID = "MUBIAO_RUN_PID"
"""Set in a reading process's environment (pipelines/run_reading.py): the pid of the run it reads for."""


def kill_point(name: str) -> None:
    if os.environ.get("MUBIAO_KILL_AT") == name:
        if run := os.environ.get(RUN_PID):
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(int(run), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
