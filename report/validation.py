"""The validation pages: every file received, the checks its rows went through, and each rejected row.

Built from the warehouse's audit tables (audit.files, audit.validations, audit.quarantine), so they are
always the published state. Each rejected row is shown as its sender knows it: the file name, the sheet,
the row number (1 = the first data row) and the reasons in Chinese. The pages are static HTML with
their style and the CJK font inline: they open offline, with no system font.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mubiao.expectations import load_suite
from mubiao.foundation.whole_files import remove_half_written, written_whole
from mubiao.foundation.zone import ZONE_NAME
from mubiao.report.labels import FILE_STATUS, kind_label
from mubiao.warehouse.published import connect_published

ROWS_SHOWN = 2000
"""Rejected rows shown on a file's page; the rest are counted and left to `mubiao feedback` and `mubiao sql`."""
FILE_COLOURS = {"loaded": "#2da44e", "duplicate": "#8c959f", "unreadable": "#cf222e"}


@dataclass
class Check:
    label: str
    success: bool
    unexpected: int


@dataclass
class FileEntry:
    sha256: str
    file_name: str
    kind: str
    status: str
    received_at: str
    rows_total: int
    rows_loaded: int
    rows_quarantined: int
    error: str | None
    checks: list[Check] = field(default_factory=list)

    @property
    def page(self) -> str:
        """The file's own page, named by its content (a name may hold any character)."""
        return f"files/{self.sha256[:16]}.html"

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.success]


@functools.cache
def _checks(kind: str) -> dict[tuple[str, str | None], str]:
    """(expectation type, column) → the check's name in the office's words, the suite's `meta.check`."""
    return {(e["type"], e["kwargs"].get("column")): e["meta"]["check"] for e in load_suite(kind)["expectations"]}


def check_label(kind: str, expectation: str, column: str | None) -> str:
    """What a check asks of each row, as its suite names it; an expectation the suite no longer holds, as it is."""
    try:
        return _checks(kind)[expectation, column]
    except (KeyError, FileNotFoundError):
        return f"{expectation}（{column}）" if column else expectation


def read_files(con: duckdb.DuckDBPyConnection) -> list[FileEntry]:
    """Every file received (core.arrivals), in arrival order; a file's checks sit on the arrival that loaded it (a
    duplicate resend shares its content, not its rows)."""
    files = [
        FileEntry(*row)
        for row in con.execute(
            """
        select sha256, file_name, coalesce(kind, ''), status,
               strftime(received_at at time zone ?, '%Y-%m-%d %H:%M'),
               rows_total, rows_loaded, rows_quarantined, error
        from core.arrivals order by seq""",
            [ZONE_NAME],
        ).fetchall()
    ]
    checked = {entry.sha256: entry for entry in files if entry.status != "duplicate"}
    for sha256, kind, expectation, column, success, unexpected in con.execute("""
            select sha256, kind, expectation, column_name, bool_and(success), sum(unexpected_count)::integer
            from audit.validations group by all order by all""").fetchall():
        if sha256 in checked:
            checked[sha256].checks.append(Check(check_label(kind, expectation, column), success, unexpected))
    return files


def read_rejected(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[list[dict], int]:
    """A file's rejected rows, at most ROWS_SHOWN, and the count of all."""
    rows = con.execute(
        """
        select coalesce(sheet, '') as sheet, row_number, reasons, raw::varchar as raw
        from audit.quarantine where sha256 = ? order by sheet, row_number limit ?""",
        [sha256, ROWS_SHOWN],
    ).fetchall()
    [(total,)] = con.execute("select count(*) from audit.quarantine where sha256 = ?", [sha256]).fetchall()
    return [dict(zip(("sheet", "row_number", "reasons", "raw"), row, strict=True)) for row in rows], total


def write_validation_pages(warehouse: Path, folder: Path) -> Path:
    """The index and one page per file with rejected rows or failed checks, into `folder`; returns the index."""
    (folder / "files").mkdir(parents=True, exist_ok=True)
    remove_half_written(folder)
    remove_half_written(folder / "files")
    with connect_published(warehouse) as con:
        files = read_files(con)
        for entry in files:
            if entry.rows_quarantined or entry.failed or entry.error:
                rows, total = read_rejected(con, entry.sha256)
                _write(
                    folder / entry.page,
                    _render("validation_file.html.j2", file=entry, rows=rows, total=total, shown=ROWS_SHOWN),
                )
    index = folder / "index.html"
    _write(
        index,
        _render(
            "validation_index.html.j2",
            files=files,
            warehouse=warehouse,
            counts={
                status: sum(1 for f in files if f.status == status) for status in ("loaded", "duplicate", "unreadable")
            },
            rows_loaded=sum(f.rows_loaded for f in files),
            rows_quarantined=sum(f.rows_quarantined for f in files),
        ),
    )
    return index


def _render(name: str, **values: object) -> str:
    """A page from its template, with the CJK font subset to exactly the characters it contains."""
    from jinja2 import Environment, PackageLoader

    from mubiao.report.fonts import font_face_css
    from mubiao.report.html import FONT_SLOT

    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=True)
    env.filters["kind_label"] = kind_label
    labels = {status: (label, FILE_COLOURS[status]) for status, label in FILE_STATUS.items()}
    page = env.get_template(name).render(status_labels=labels, **values)
    return page.replace(FONT_SLOT, font_face_css("".join(sorted(set(page)))), 1)


def _write(path: Path, text: str) -> None:
    """Write a page only when it changed, so that a page open in a browser is not rewritten for nothing."""
    data = text.encode("utf-8")
    if not path.exists() or hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
        with written_whole(path) as partial:
            partial.write_bytes(data)
