"""Reading a run's files in parts on worker processes gives what reading them here gives."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from bench.generate import SIZES, generate
from pipelines import reading
from pipelines.landing import ChangedSinceReceived, copy_in, landed_path, receive
from pipelines.reading import chunks_of, read_arrivals
from tests.conftest import FIXTURES


@pytest.fixture
def landed(tmp_path: Path):
    inbox = tmp_path / "inbox"
    generate(SIZES["tiny"], inbox, processes=1)
    for name in ("junk.csv", "gbk.csv", "multi_sheet.xlsx"):  # an unreadable file, GBK, a workbook of two kinds
        (inbox / name).write_bytes((FIXTURES / name).read_bytes())
    return receive(inbox, {}), tmp_path / "landing"


def _read(landed, spill: Path, part_files: int, monkeypatch,
          copy: bool = False) -> tuple[reading.ReadBatch, dict[str, pa.Table]]:
    arrivals, landing = landed
    monkeypatch.setattr(reading, "PART_FILES", part_files)
    monkeypatch.setattr(reading, "CHUNK_ROWS", 40)
    spill.mkdir()
    read = read_arrivals(arrivals, landing, spill, copy=copy)
    return read, {kind: pa.concat_tables(chunks_of(read, kind)) for kind in read.chunks}


def test_parts_landed_here_and_read_on_worker_processes_equal_one_read_here(landed, tmp_path: Path, monkeypatch):
    parts, part_rows = _read(landed, tmp_path / "parts", 7, monkeypatch, copy=True)
    arrivals, landing = landed
    assert all(landed_path(landing, a.sha256).read_bytes() == a.path.read_bytes() for a in arrivals)
    here, here_rows = _read(landed, tmp_path / "here", 10_000, monkeypatch)
    assert len(here.results) == len(landed[0]) > 7 * 2
    assert list(parts.results) == list(here.results)  # arrival order kept
    assert parts.results == here.results
    assert any(result.error for result in here.results.values())
    assert set(part_rows) == set(here_rows) >= {"units", "indicator_values", "project_progress"}
    for kind, table in here_rows.items():
        assert part_rows[kind].equals(table), kind
    assert max(len(paths) for paths in parts.chunks.values()) > 1


def test_a_file_changed_after_it_was_received_is_not_landed(landed):
    arrivals, landing = landed
    changed = arrivals[3]
    changed.path.write_bytes(changed.path.read_bytes() + b"\n")
    copy_in(arrivals[:3], landing)
    with pytest.raises(ChangedSinceReceived, match=changed.file_name):
        copy_in(arrivals, landing)
    assert not landed_path(landing, changed.sha256).exists()
    assert not list(landing.rglob("*.partial"))
    assert all(landed_path(landing, a.sha256).exists() for a in arrivals[:3])



def test_a_file_moved_away_after_it_was_received_is_a_clear_error(landed):
    arrivals, landing = landed
    arrivals[2].path.unlink()
    with pytest.raises(ChangedSinceReceived, match=f"被移走：{arrivals[2].file_name}"):
        copy_in(arrivals, landing)
    assert not list(landing.rglob("*.partial"))
