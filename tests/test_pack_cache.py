"""The meeting pack's cache (issue 32): what it draws from the cache is the bytes it would draw afresh, and a change
in the data draws again what it changes, and only that."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from mubiao import report
from mubiao.report import cache_folder, write_latest, write_pack

FILES = ("report.html", "report.xlsx", "bulletin.md")


def pack_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def entries(warehouse: Path) -> set[str]:
    return {path.name for path in cache_folder(warehouse).iterdir()}


def test_a_pack_from_the_cache_is_the_bytes_of_one_drawn_afresh(default_pack, tmp_path):
    warehouse, _ = default_pack
    shutil.rmtree(cache_folder(warehouse))  # the run's own write filled it
    afresh = pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "afresh", cached=False))
    assert not cache_folder(warehouse).exists()
    assert pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "cold")) == afresh
    drawn = entries(warehouse)
    assert {name.split("-")[0] for name in drawn} == {"page", "progress", "projection", "font", "workbook", "files"}
    warm = write_pack(warehouse, 2017, out=tmp_path / "warm")
    assert pack_bytes(warm) == afresh
    assert entries(warehouse) == drawn  # nothing drawn again
    stats = {name: (warm / name).stat() for name in FILES}
    write_pack(warehouse, 2017, out=warm)
    for name, before in stats.items():  # the same bytes are not written again
        after = (warm / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), name


def test_a_change_in_the_data_draws_its_page_and_chart_again(default_pack, tmp_path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(default_pack[0], warehouse)
    before = pack_bytes(write_pack(warehouse, 2017))
    drawn = entries(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        changed = con.execute(
            """
            update marts.project_investment_by_category set completion_pct = completion_pct - 50
            where year = 2017 and category = '工业' and as_of_month = (
                select max(as_of_month) from marts.project_investment_by_category where year = 2017)"""
        ).fetchone()[0]
    assert changed == 1
    after = pack_bytes(write_pack(warehouse, 2017))
    assert after["report.html"] != before["report.html"]
    assert after == pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "afresh", cached=False))
    made = [name.split("-")[0] for name in entries(warehouse) - drawn]
    assert made.count("page") == made.count("progress") == made.count("workbook") == 1  # the unit chart came from
    assert set(made) <= {"page", "progress", "font", "workbook"}  # the cache, and so did the projections'


def test_a_new_file_writes_the_last_block_of_the_quality_sheet_again_and_reads_the_others(
    default_pack, tmp_path, monkeypatch
):
    from mubiao.report import workbook

    monkeypatch.setattr(workbook, "BLOCK", 4)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(default_pack[0], warehouse)
    write_pack(warehouse, 2017)
    blocks = {name for name in entries(warehouse) if name.startswith("files-")}
    with duckdb.connect(str(warehouse)) as con:
        files = con.execute("select count(*) from audit.files").fetchone()[0]
        con.execute("update audit.files set error = '迟到的错误' where seq = (select max(seq) from audit.files)")
    assert files > 8 and len(blocks) == -(-files // 4)
    written, write = [], workbook._written
    monkeypatch.setattr(workbook, "_written", lambda block, *args: written.append(block) or write(block, *args))
    after = pack_bytes(write_pack(warehouse, 2017))
    assert [len(block) for block in written] == [files % 4 or 4], "only the last block was written"
    now = {name for name in entries(warehouse) if name.startswith("files-")}
    assert len(now - blocks) == 1 and len(blocks - now) == 1, "the last block written again, its old one removed"
    assert after == pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "afresh", cached=False))
    quality = openpyxl.load_workbook(warehouse.parent / "report" / "2017" / "report.xlsx")["数据质量"]
    assert quality.max_row == files + 1 and quality.cell(files + 1, 7).value == "迟到的错误"


def test_a_pack_drawn_again_with_the_same_bytes_is_current_for_the_next_run(default_pack, tmp_path, monkeypatch):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(default_pack[0], warehouse)
    folder = warehouse.parent / "report" / "2017"
    shutil.copytree(default_pack[1], folder)  # copy2: the pack keeps its time, older than the warehouse
    os.utime(warehouse)  # as a run that published and changed nothing the pack shows
    assert write_latest(warehouse) == folder
    monkeypatch.setattr(report, "write_pack", lambda *args, **kwargs: pytest.fail("the pack was drawn again"))
    assert write_latest(warehouse) == folder, "a no-op after it finds the pack current"


def test_the_font_read_ahead_makes_the_same_pack_and_only_for_a_warehouse_with_no_pack_drawn(default_pack, tmp_path):
    """A cold command reads the font while its server boots (cli/startup.py); the first pack takes it."""
    from mubiao.report import fonts, read_font_ahead

    warehouse, _ = default_pack
    read_font_ahead(warehouse)
    assert not fonts._READ_AHEAD, "its pack has drawn a font subset before, most often kept"
    afresh = pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "afresh", cached=False))
    shutil.rmtree(cache_folder(warehouse))
    read_font_ahead(warehouse)
    assert fonts._READ_AHEAD, "read for a warehouse that has drawn no pack"
    assert pack_bytes(write_pack(warehouse, 2017, out=tmp_path / "ahead")) == afresh
    assert not fonts._READ_AHEAD, "taken by the subset"
