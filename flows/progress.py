"""What a run tells whoever started it, as it goes: the files and rows taken in, and why it waits.

The flows say it on the `mubiao.run` logger, and the command listens there for its progress bar and its
lines (cli/running.py); with nobody listening it goes nowhere. The steps of pipelines/ say nothing: the flow
says what the step it called returned.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from prefect import get_run_logger

RUN = logging.getLogger("mubiao.run")
RUN.setLevel(logging.INFO)
RUN.propagate = False  # for a listener only, never Prefect's console or a served run's terminal


@dataclass(frozen=True)
class Advance:
    """Files read and rows loaded since the last one; `total`, when known, the files the run will read."""

    files: int = 0
    rows: int = 0
    total: int | None = None


def advance(files: int = 0, rows: int = 0, total: int | None = None) -> None:
    RUN.info("%d 个文件，%d 行", files, rows, extra={"advance": Advance(files, rows, total)})


def waiting(line: str) -> None:
    """Why a task waits (a retry): in the run's log, and to whoever listens."""
    get_run_logger().warning(line)
    RUN.info(line, extra={"waiting": line})


@contextlib.contextmanager
def listening(handler: logging.Handler) -> Iterator[None]:
    """`handler` hears what the flows run in this block tell."""
    RUN.addHandler(handler)
    try:
        yield
    finally:
        RUN.removeHandler(handler)
