"""Child processes that do not outlive the run that started them."""

from __future__ import annotations

import ctypes
import sys

PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when its parent dies."""


def dies_with_parent(signum: int) -> None:
    """In a child process, before its work (Linux; elsewhere nothing): `signum` when the thread that started it
    ends, so a run killed outright leaves no child behind. Start such children from a thread that outlives them."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signum)
