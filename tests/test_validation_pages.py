"""`mubiao docs`: validation pages that open offline, list every file, and show each rejected row as sent."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from tests.browser import ARTIFACTS, PageText, chromium
from tests.conftest import INBOX, query

BAD_ROWS = 250
"""More than the 200 rows GX lists of a failing expectation."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from typer.testing import CliRunner

    from mubiao.cli.main import app

    inbox = tmp_path_factory.mktemp("inbox")
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    rows = "".join(f"U{n + 100},GDP,2017-06,{n},亿元,\n" for n in range(BAD_ROWS))
    (inbox / "2017年6月 <乡镇> 月报.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\n" + rows, encoding="utf-8"
    )
    warehouse = tmp_path_factory.mktemp("pages") / "warehouse.duckdb"
    for args in (["run", "--inbox", str(inbox)], ["docs"]):
        result = CliRunner().invoke(app, [*args, "--warehouse", str(warehouse)])
        assert result.exit_code == 0, result.output
    index = warehouse.parent / "gx" / "validation" / "index.html"
    assert str(index) in result.output.replace("\n", "")
    return warehouse, index


def _text(page: Path, profile: Path) -> str:
    parser = PageText()
    parser.feed(chromium("--dump-dom", page.as_uri(), profile=profile).stdout)
    return "".join(parser.chunks)


def test_the_index_lists_every_file_received(pages, tmp_path):
    warehouse, index = pages
    text = _text(index, tmp_path / "profile")
    for row in query(warehouse, "select file_name from audit.files"):
        assert row["file_name"] in text, row
    assert f"{BAD_ROWS}" in text and "单位已登记" in text


def test_a_files_page_shows_every_rejected_row_by_its_row_number(pages, tmp_path):
    warehouse, index = pages
    [link] = re.findall(r'<a href="(files/[0-9a-f]+\.html)">', index.read_text(encoding="utf-8"))
    page = index.parent / link
    source = page.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td><td class="reasons">', source)]
    assert numbers == list(range(1, BAD_ROWS + 1))
    [row] = query(warehouse, "select reasons from audit.quarantine where row_number = 7")
    assert escape(row["reasons"]) in source
    assert "2017年6月 &lt;乡镇&gt; 月报.csv" in source, "the name is escaped, never markup"


def test_a_failed_check_is_named_for_what_failed(tmp_path):
    """A value that is not a number, a month 13 and a measure that does not convert: each named as it failed,
    never as an empty cell or as 无误."""
    from typer.testing import CliRunner

    from mubiao.cli.main import app
    from mubiao.report.validation import read_files

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    (inbox / "mislabelled.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位\n"
        "U1,GDP,2017-06,待核,亿元\nU1,GDP,2017-13,60.1,亿元\nU1,GDP,2017-05,50.2,万美元\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [entry] = [f for f in read_files(con) if f.file_name == "mislabelled.csv"]
    assert sorted(check.label for check in entry.failed) == [
        "本期累计值已填写且为数字",
        "统计期已填写且有效",
        "计量单位可识别，且可换算为指标目录的单位",
    ]


CHROMIUMS_OWN = re.compile(r"^\w+ (https?://)?[\w.-]*\.(google\.com|googleapis\.com|gvt1\.com)[:/]")
"""What headless Chromium asks for itself (its clock, accounts, updates), whatever page it shows."""


@contextlib.contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """A --proxy-server flag for Chromium, and the request lines sent through it but Chromium's own."""
    listener = socket.create_server(("127.0.0.1", 0))
    asked: list[str] = []

    def record() -> None:  # the proxy every request would go through: it takes the request line and answers nothing
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                asked.append(connection.recv(400).decode("latin-1").split("\r\n")[0])

    threading.Thread(target=record, daemon=True).start()
    try:
        yield f"--proxy-server=127.0.0.1:{listener.getsockname()[1]}", asked
    finally:
        listener.close()
    asked[:] = [line for line in asked if not CHROMIUMS_OWN.match(line)]


OUTSIDE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""")
"""Anything in a page that would fetch from elsewhere."""


def test_the_pages_render_offline_with_nothing_fetched(pages, tmp_path):
    _, index = pages
    ARTIFACTS.mkdir(exist_ok=True)
    with recording_proxy() as (proxy, asked):
        for page, shot in (
            (index, "validation-index.png"),
            (next((index.parent / "files").glob("*.html")), "validation-file.png"),
        ):
            assert not OUTSIDE.search(page.read_text(encoding="utf-8"))
            (ARTIFACTS / shot).unlink(missing_ok=True)
            chromium(
                proxy,
                f"--screenshot={ARTIFACTS / shot}",
                "--window-size=1280,1200",
                page.as_uri(),
                profile=tmp_path / shot,
            )
            assert (ARTIFACTS / shot).stat().st_size > 20_000, "a page with its text drawn, not a blank one"
    assert asked == [], "a page asked the network for something"
