"""Reading a run's files in parts on worker processes gives what reading them here gives."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from bench.generate import SIZES, generate
from pipelines import reading
from pipelines.landing import land
from pipelines.reading import chunks_of, read_arrivals
from tests.conftest import FIXTURES


@pytest.fixture
def landed(tmp_path: Path):
    inbox = tmp_path / "inbox"
    generate(SIZES["tiny"], inbox, processes=1)
    for name in ("junk.csv", "gbk.csv", "multi_sheet.xlsx"):  # an unreadable file, GBK, a workbook of two kinds
        (inbox / name).write_bytes((FIXTURES / name).read_bytes())
    landing = tmp_path / "landing"
    return land(inbox, landing, {}), landing


def _read(landed, spill: Path, part_files: int, monkeypatch) -> tuple[reading.ReadBatch, dict[str, pa.Table]]:
    arrivals, landing = landed
    monkeypatch.setattr(reading, "PART_FILES", part_files)
    monkeypatch.setattr(reading, "CHUNK_ROWS", 40)
    spill.mkdir()
    read = read_arrivals(arrivals, landing, spill)
    return read, {kind: pa.concat_tables(chunks_of(read, kind)) for kind in read.chunks}


def test_parts_read_on_worker_processes_equal_one_read_here(landed, tmp_path: Path, monkeypatch):
    here, here_rows = _read(landed, tmp_path / "here", 10_000, monkeypatch)
    parts, part_rows = _read(landed, tmp_path / "parts", 7, monkeypatch)
    assert len(here.results) == len(landed[0]) > 7 * 2
    assert list(parts.results) == list(here.results)  # arrival order kept
    assert parts.results == here.results
    assert any(result.error for result in here.results.values())
    assert set(part_rows) == set(here_rows) >= {"units", "indicator_values", "project_progress"}
    for kind, table in here_rows.items():
        assert part_rows[kind].equals(table), kind
    assert max(len(paths) for paths in parts.chunks.values()) > 1
