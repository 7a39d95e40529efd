"""The meeting pack (会议材料): report.html, report.xlsx and bulletin.md for one year, from the marts."""

from __future__ import annotations

from pathlib import Path

from mubiao.report.data import Pack, latest_year, load_pack


def write_pack(warehouse: Path, year: int, as_of_month: int | None = None, out: Path | None = None) -> Path:
    """Write the three files of `year`'s pack into `out` (default <warehouse dir>/report/<year>/); return the folder."""
    from mubiao.report.bulletin import render_bulletin
    from mubiao.report.html import render_html
    from mubiao.report.workbook import write_workbook

    pack = load_pack(warehouse, year, as_of_month)
    out = out or default_out(warehouse, year)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(render_html(pack), encoding="utf-8")
    write_workbook(pack, out / "report.xlsx")
    (out / "bulletin.md").write_text(render_bulletin(pack), encoding="utf-8")
    return out


def default_out(warehouse: Path, year: int) -> Path:
    return warehouse.resolve().parent / "report" / str(year)


__all__ = ["Pack", "default_out", "latest_year", "load_pack", "write_pack"]
