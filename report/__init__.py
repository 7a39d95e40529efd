"""The meeting pack (会议材料): report.html, report.xlsx and bulletin.md for one year, from the marts."""

from __future__ import annotations

import os
from pathlib import Path

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.whole_files import remove_half_written, written_whole
from mubiao.report.data import Pack, latest_year, load_pack


def write_pack(
    warehouse: Path, year: int, as_of_month: int | None = None, out: Path | None = None, cached: bool = True
) -> Path:
    """Write the three files of `year`'s pack into `out` (by default `default_out`), each whole or not at all; return
    the folder. A file whose bytes would not change is left as it is; with `cached`, the page, its charts, its
    font subset and the workbook come from `cache_folder` where their data has been drawn before (the same bytes)."""
    from mubiao.foundation.runtime import collection_paused
    from mubiao.report.bulletin import render_bulletin
    from mubiao.report.html import render_html
    from mubiao.report.pack_cache import PackCache, digest, made
    from mubiao.report.workbook import workbook_bytes

    with collection_paused():  # rows and cells by the hundred thousand, few cycles
        pack = load_pack(warehouse, year, as_of_month)
        cache = PackCache(cache_folder(warehouse)) if cached else None
        out = out or default_out(warehouse, year, as_of_month)
        out.mkdir(parents=True, exist_ok=True)
        remove_half_written(out)
        drawn = digest(pack) if cache else None  # the page's and the workbook's data, hashed once
        page = made(cache, "page", drawn, lambda: render_html(pack, cache))
        _write_changed(out / "report.html", page.encode("utf-8"))
        book = cache.bytes("workbook", drawn, lambda: workbook_bytes(pack, cache)) if cache else workbook_bytes(pack)
        _write_changed(out / "report.xlsx", book)
        _write_changed(out / "bulletin.md", render_bulletin(pack).encode("utf-8"))
        if cache is not None:
            cache.prune()
    return out


def warm() -> None:
    """Import the pack's libraries and read its font, once, in a process that will write many packs (a worker)."""
    import xlsxwriter  # noqa: F401
    from fontTools import subset  # noqa: F401

    from mubiao.report.bulletin import render_bulletin  # noqa: F401
    from mubiao.report.fonts import face_index
    from mubiao.report.html import page_template
    from mubiao.report.pack_cache import PackCache  # noqa: F401

    face_index()
    page_template()


def read_font_ahead(warehouse: Path) -> None:
    """The font read now for the first pack of `warehouse`, one that has drawn none (no `cache_folder`): its subset
    is surely made; a later pack's most often comes from the cache (report/fonts.read_ahead)."""
    from mubiao.report.fonts import read_ahead

    if not cache_folder(warehouse).exists():
        read_ahead()


def _write_changed(path: Path, content: bytes) -> None:
    """`content` written whole to `path`, unless `path` holds it already."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return
    except FileNotFoundError:
        pass
    with written_whole(path) as partial:
        partial.write_bytes(content)


def cache_folder(warehouse: Path) -> Path:
    """report/.cache/ beside the warehouse: what every pack of it has drawn (report/pack_cache.py)."""
    return warehouse.resolve().parent / "report" / ".cache"


def default_out(warehouse: Path, year: int, as_of_month: int | None = None) -> Path:
    """report/<year>/ beside the warehouse for the latest pack, report/<year>-<MM>/ for one cut at a month."""
    folder = str(year) if as_of_month is None else f"{year}-{as_of_month:02d}"
    return warehouse.resolve().parent / "report" / folder


def write_requested(warehouse: Path, year: int | None, as_of: str | None, out: Path | None) -> Path:
    """`mubiao report`: the year asked for (or the latest), as of a period such as 2017-09 (or its latest month)."""
    from mubiao.pipelines.parsers.periods import PeriodError, parse_period

    month = None
    if as_of is not None:
        try:
            as_of_year, month = parse_period(as_of)
        except PeriodError as error:
            raise MubiaoError(f"无法识别的截至月份：{as_of}（{error}）") from None
        if year is not None and year != as_of_year:
            raise MubiaoError(f"截至月份 {as_of} 不在 {year} 年内")
        year = as_of_year
    year = year or latest_year(warehouse)
    if year is None:
        raise MubiaoError("仓库中还没有任何年度的数据（先运行 mubiao run）")
    return write_pack(warehouse, year, month, out)


def write_latest(warehouse: Path) -> Path | None:
    """The pack of the latest year with data, where `mubiao run` leaves it; None for an empty warehouse.

    A pack written after the warehouse was last published is current and is left as it is.
    """
    year = latest_year(warehouse)
    if year is None:
        return None
    out = default_out(warehouse, year)
    written = [out / name for name in ("report.html", "report.xlsx", "bulletin.md")]
    if all(path.exists() and path.stat().st_mtime >= warehouse.stat().st_mtime for path in written):
        return out
    pack = write_pack(warehouse, year)
    for path in written:  # current now, though write_pack leaves a file with the same bytes as it was
        os.utime(path)
    return pack


__all__ = [
    "Pack",
    "default_out",
    "latest_year",
    "load_pack",
    "read_font_ahead",
    "write_latest",
    "write_pack",
    "write_requested",
]
