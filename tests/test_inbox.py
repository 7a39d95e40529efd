"""The inbox as offices lay it out and fill it: any layout, names as Windows writes them, links, files passed
over on purpose, and one bad file that never stops a run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mubiao.pipelines.loading import run_reading
from tests.conftest import query
from tests.test_receipts import REFERENCE, VALUES

MUBIAO = str(Path(sys.executable).with_name("mubiao"))


def _fill(inbox: Path) -> int:
    """A small zone's files in `inbox`; the number of submission files."""
    inbox.mkdir(parents=True, exist_ok=True)
    for name, text in REFERENCE.items():
        (inbox / name).write_text(text, encoding="utf-8")
    for month in (3, 4):
        (inbox / f"2017年{month}月_统计局.csv").write_text(
            VALUES.format(value=month).replace("2017-03", f"2017-0{month}"), encoding="utf-8"
        )
    return len(REFERENCE) + 2


LAYOUTS = {  # name: (inbox, warehouse) as typed in the folder `office`, {office} for its absolute path
    "side by side": ("inbox", "warehouse.duckdb"),
    "side by side, absolute": ("{office}/inbox", "{office}/warehouse.duckdb"),
    "warehouse inside the inbox": ("inbox", "inbox/mubiao-data/warehouse.duckdb"),
    "inbox inside the warehouse's folder": ("data/inbox", "data/warehouse.duckdb"),
    "one folder for both": (".", "warehouse.duckdb"),
    "one folder for both, absolute": ("{office}", "{office}/warehouse.duckdb"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_takes_every_file_once(layout: str, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    office = tmp_path / "office"
    inbox_arg, warehouse_arg = (arg.format(office=office) for arg in LAYOUTS[layout])
    files = _fill(office / inbox_arg)
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value())
    command = [MUBIAO, "run", "--inbox", inbox_arg, "--warehouse", warehouse_arg]
    first = subprocess.run(command, cwd=office, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    warehouse = office / warehouse_arg
    assert query(warehouse, "select count(*) as n from audit.files where status = 'loaded'") == [{"n": files}]
    again = subprocess.run(command, cwd=office, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "收件箱中没有新文件" in again.stdout, again.stdout + again.stderr
    assert query(warehouse, "select count(*) as n from audit.files") == [{"n": files}], (
        "the pack, the landing store and the warehouse's own files are never taken as submissions"
    )


def test_a_run_that_takes_nothing_says_why(mubiao, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _fill(inbox)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    (inbox / "再次报送.csv").write_bytes((inbox / "units.csv").read_bytes())
    assert "全部为已入库文件的重复" in mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse)).output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        "收件箱中没有新文件" in mubiao("run", "--inbox", str(empty), "--warehouse", str(tmp_path / "w2.duckdb")).output
    )


def _create(folder: Path, name: bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(data)


def test_names_as_windows_and_zip_tools_write_them(mubiao, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _fill(inbox)
    values = VALUES.format(value=7).replace("2017-03", "2017-05").encode("utf-8")
    names = {
        "2017年5月_统计局.csv".encode("gbk"): "2017年5月_统计局.csv",  # unzipped from a Chinese Windows archive
        b"\xff\xfe\xfa.csv": "\\xff\\xfe\\xfa.csv",  # no encoding makes text of it: its bytes are kept, escaped
        "- 报表 'a' \"b\" ...\n第二行.csv".encode(): "- 报表 'a' \"b\" ...\n第二行.csv",
    }
    for number, raw in enumerate(names, start=5):
        _create(inbox, raw, values.replace(b"2017-05", f"2017-{number:02d}".encode()))
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    recorded = {r["file_name"]: r["status"] for r in query(warehouse, "select file_name, status from audit.files")}
    for shown in names.values():
        assert recorded.get(shown) == "loaded", (shown, recorded)
    assert "7 / 0 / 0" in result.output


def test_links_stay_inside_the_inbox(mubiao, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _fill(inbox)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(VALUES.format(value=99), encoding="utf-8")
    (inbox / "passwd.csv").symlink_to("/etc/passwd")
    (inbox / "elsewhere.csv").symlink_to(outside)
    (inbox / "again.csv").symlink_to(inbox / "2017年3月_统计局.csv")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    landed = {path.name for path in (warehouse.parent / "landing").rglob("*") if path.is_file()}
    assert len(landed) == 4, "only the four files themselves: not /etc/passwd, not the file outside, the link once"
    assert query(warehouse, "select count(*) as n from audit.files") == [{"n": 4}]
    assert query(warehouse, "select name, reason from audit.skipped order by name") == [
        {"name": "again.csv", "reason": "链接指向收件箱内的文件或文件夹，已按其本身收取"},
        {"name": "elsewhere.csv", "reason": "链接指向收件箱之外，未收取"},
        {"name": "passwd.csv", "reason": "链接指向收件箱之外，未收取"},
    ]


def test_files_passed_over_are_counted_and_kept_in_audit_skipped(mubiao, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _fill(inbox)
    (inbox / "~$2017年3月_统计局.xlsx").write_bytes(b"owner")
    (inbox / ".DS_Store").write_bytes(b"\0")
    (inbox / "空文件夹").mkdir()
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert "跳过 3 项" in result.output and "audit.skipped" in result.output
    assert query(warehouse, "select count(*) as n from audit.skipped") == [{"n": 3}]
    (inbox / ".DS_Store").unlink()
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert query(warehouse, "select name from audit.skipped order by name") == [
        {"name": "~$2017年3月_统计局.xlsx"},
        {"name": "空文件夹/"},
    ], "what is passed over now, not a pile of runs"


def _flip_deflate(xlsx: bytes) -> bytes:
    """The workbook with bytes flipped early in the deflate stream of its first sheet: zlib.error, not a zip error."""
    archive = zipfile.ZipFile(io.BytesIO(xlsx))
    info = next(i for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    early = start + info.compress_size // 10
    data = bytearray(xlsx)
    for offset in range(early, early + 8):
        data[offset] ^= 0xA5
    return bytes(data)


def test_a_workbook_corrupt_inside_its_deflate_stream_is_one_unreadable_file(mubiao, tmp_path: Path) -> None:
    import openpyxl

    inbox = tmp_path / "inbox"
    _fill(inbox)
    book = openpyxl.Workbook()
    for row in [
        ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位"],
        *[["U1", "GDP", f"2017-{m:02d}", m * 1.5, "亿元"] for m in range(1, 13)] * 40,
    ]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    (inbox / "损坏.xlsx").write_bytes(_flip_deflate(buffer.getvalue()))
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    files = {r["file_name"]: (r["status"], r["error"]) for r in query(warehouse, "select * from audit.files")}
    assert files.pop("损坏.xlsx") == ("unreadable", "不是有效的 XLSX 文件（压缩包损坏）")
    assert {status for status, _ in files.values()} == {"loaded"} and len(files) == 4


def test_an_unforeseen_fault_in_reading_one_file_leaves_the_others_loaded(mubiao, tmp_path: Path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    _fill(inbox)
    read = run_reading.read_submission

    def faulty(path: Path, file_name: str | None = None, limits=None):
        if file_name == "2017年4月_统计局.csv":
            raise RuntimeError("a reader's defect")
        return read(path, file_name, limits)

    monkeypatch.setattr(run_reading, "read_submission", faulty)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    files = {r["file_name"]: (r["status"], r["error"]) for r in query(warehouse, "select * from audit.files")}
    assert files.pop("2017年4月_统计局.csv") == (
        "unreadable",
        "文件无法读取（RuntimeError：a reader's defect），请检查文件后重新报送",
    )
    assert {status for status, _ in files.values()} == {"loaded"} and len(files) == 3
    assert query(warehouse, "select month from core.indicator_values") == [{"month": 3}]
