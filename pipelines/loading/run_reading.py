"""Read a run's new files into chunks on disk, by kind, a part of PART_FILES files at a time.

Each chunk is an Arrow file of whole sheets of one kind (`raw_table`), about
CHUNK_ROWS rows, so a kind of any size is loaded a chunk at a time in bounded
memory. A part's chunks and results come back in arrival order whichever
process read it (flows/reading.py reads the parts on a process pool).
"""

from __future__ import annotations

import os
import signal
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path

import pyarrow as pa

from mubiao.foundation.runtime import collection_paused, dies_with_parent
from mubiao.pipelines.intake.landing import Arrival, copy_in, landed_path
from mubiao.pipelines.parsers.file_reading import UnreadableFile, read_submission, unexpected
from mubiao.pipelines.parsers.limits import Limits
from mubiao.pipelines.parsers.sheets import Sheet, sheets_table

CHUNK_ROWS = 200_000
"""A kind's rows are normalised, validated and loaded this many at a time (whole files), so memory stays bounded.

Each chunk pays GX's set-up whatever its size, so chunks are large; the memory this takes is paid for by
DuckDB's lower cap while loading (warehouse/publish.py).
"""
BUILD_ROWS = 20_000
"""Rows read into Python lists before they are built into an Arrow table (`_KindChunks`)."""
PART_FILES = 1_000
"""Files read by one process at a time; a run with fewer is read in the run's process."""


@dataclass
class FileResult:
    kinds: list[str] = field(default_factory=list)
    rows_total: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None


@dataclass
class ReadBatch:
    chunks: dict[str, list[Path]]
    """kind → Arrow files of its rows (`raw_table`), each of whole sheets, in arrival order."""
    results: dict[str, FileResult]
    """sha256 → what became of the file (filled in as the run goes)."""

    def discard(self) -> None:
        """Delete the chunk files once loaded, so that nothing flushes them to disk for nothing."""
        for paths in self.chunks.values():
            for path in paths:
                path.unlink(missing_ok=True)
        self.chunks.clear()


def raw_table(items: list[tuple[str, Sheet]]) -> pa.Table:
    """Every sheet of one kind as one table, each row with its file's sha256 and its sheet."""
    table = sheets_table([sheet for _, sheet in items])
    return table.append_column(
        "sha256", pa.array(list(chain.from_iterable(repeat(sha, sheet.num_rows) for sha, sheet in items)), pa.string())
    ).append_column(
        "sheet",
        pa.array(list(chain.from_iterable(repeat(sheet.sheet, sheet.num_rows) for _, sheet in items)), pa.string()),
    )


class _KindChunks:
    """Sheets kept on disk by kind, in chunks of about CHUNK_ROWS rows, until their kind is loaded.

    Sheets are built into Arrow BUILD_ROWS rows at a time: as lists of Python text a chunk takes about twice
    the memory it takes as Arrow.
    """

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix = folder, prefix
        self.sheets: dict[str, list[tuple[str, Sheet]]] = defaultdict(list)
        """Not yet built, with their rows counted in `unbuilt`."""
        self.unbuilt: dict[str, int] = defaultdict(int)
        self.tables: dict[str, list[pa.Table]] = defaultdict(list)
        self.rows: dict[str, int] = defaultdict(int)
        self.chunks: dict[str, list[Path]] = defaultdict(list)

    def add(self, sha256: str, sheet: Sheet) -> None:
        kind = sheet.kind.name
        self.sheets[kind].append((sha256, sheet))
        self.unbuilt[kind] += sheet.num_rows
        self.rows[kind] += sheet.num_rows
        if self.unbuilt[kind] >= BUILD_ROWS:
            self.build(kind)
        if self.rows[kind] >= CHUNK_ROWS:
            self.flush(kind)

    def build(self, kind: str) -> None:
        if kind in self.sheets:
            self.tables[kind].append(raw_table(self.sheets.pop(kind)))
            self.unbuilt[kind] = 0

    def flush(self, kind: str) -> None:
        self.build(kind)
        table = pa.concat_tables(self.tables.pop(kind))  # a batch per build; `chunks_of` makes them one
        self.rows[kind] = 0
        path = self.folder / f"{self.prefix}-{kind}-{len(self.chunks[kind]):05d}.arrow"
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        self.chunks[kind].append(path)

    def close(self) -> dict[str, list[Path]]:
        for kind in {*self.sheets, *self.tables}:
            self.flush(kind)
        return dict(self.chunks)


def chunks_of(read: ReadBatch, kind: str) -> Iterator[pa.Table]:
    """One kind's rows from `read`, a chunk at a time; the small chunks that parts leave are put together.

    Each chunk comes as one record batch: DuckDB scans a table of a batch per sheet about 3× slower.
    """
    pending: list[pa.Table] = []
    rows = 0
    for path in read.chunks.get(kind, []):
        with pa.OSFile(str(path)) as source:
            table = pa.ipc.open_file(source).read_all()
        if pending and rows + table.num_rows > CHUNK_ROWS:
            yield pa.concat_tables(pending).combine_chunks()
            pending, rows = [], 0
        pending.append(table)
        rows += table.num_rows
    if pending:
        yield pa.concat_tables(pending).combine_chunks()


def read_file(path: Path, file_name: str, limits: Limits) -> tuple[list[Sheet], str | None]:
    """A file's sheets, or the one line that says why it cannot be read.

    Each file is a fault domain: one that cannot be read, for whatever reason, gets its error and nothing
    else, and the others are read on. A run and a backfill read through here alike.
    """
    try:
        return read_submission(path, file_name, limits), None
    except UnreadableFile as error:
        return [], str(error)
    except (OSError, MemoryError):  # the disk or the process, not the file: the run stops
        raise
    except Exception as error:  # anything else one file does is that file's fault alone
        return [], unexpected(error)


def read_part(part: int, arrivals: list[Arrival], landing: Path, spill: Path, copy: bool) -> ReadBatch:
    """Read a part's files from the landing store into chunks in `spill`, with `copy` landing them first
    (`copy_in`), so that copying is spread over the processes that read the parts."""
    if copy:
        copy_in(arrivals, landing)
    chunks = _KindChunks(spill, f"{part:05d}")
    limits = Limits.from_env()
    results: dict[str, FileResult] = {}
    with collection_paused():
        for arrival in arrivals:
            result = results[arrival.sha256] = FileResult()
            sheets, result.error = read_file(landed_path(landing, arrival.sha256), arrival.file_name, limits)
            for sheet in sheets:
                chunks.add(arrival.sha256, sheet)
                result.kinds.append(sheet.kind.name)
                result.rows_total += sheet.num_rows
        return ReadBatch(chunks.close(), results)


def reader_start(run_pid: int) -> None:
    """A reading process's start: it dies with the run, so that it never lands files for a run that is gone."""
    dies_with_parent(signal.SIGKILL)
    if os.getppid() != run_pid:  # the run died before the line above
        os._exit(1)


def parts_of(arrivals: list[Arrival]) -> list[list[Arrival]]:
    """The files a run reads (the first arrival of each new content), in parts of PART_FILES, in arrival order."""
    first: dict[str, Arrival] = {}
    for arrival in arrivals:
        if not arrival.duplicate:
            first.setdefault(arrival.sha256, arrival)
    news = list(first.values())
    return [news[start : start + PART_FILES] for start in range(0, len(news), PART_FILES)]


def merged(batches: Iterable[ReadBatch]) -> ReadBatch:
    """The parts' batches as one, in part order."""
    whole = ReadBatch(defaultdict(list), {})
    for batch in batches:
        for kind, paths in batch.chunks.items():
            whole.chunks[kind] += paths
        whole.results.update(batch.results)
    return whole
