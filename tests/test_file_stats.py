"""A run trusts an unchanged file's stat as git trusts its index, and loses nothing by it (audit.file_stats)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb
import pytest

from mubiao.flows import news
from mubiao.foundation.zone import DEFAULT_DUE_DAY
from mubiao.pipelines.intake import landing
from mubiao.pipelines.intake.file_stats import (
    read_refreshed,
    record_stats,
    refreshed_path,
    seen_now,
    stat_key,
    vouched,
    write_refreshed,
)
from mubiao.pipelines.intake.receipts import REGISTER_NAME
from mubiao.warehouse.models import apply_schema
from tests.conftest import INBOX, query

AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """INBOX's three files, last written an hour ago (so not racily clean, and taken without waiting)."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in INBOX.items():
        (folder / name).write_text(text, encoding="utf-8")
        os.utime(folder / name, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return folder


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files hashed from here on, by the command's look for news and by the run."""
    paths: list[Path] = []
    real = landing._hashed

    def counting(path: Path) -> tuple[str, int]:
        paths.append(path)
        return real(path)

    monkeypatch.setattr(landing, "_hashed", counting)
    return paths


def _names(warehouse: Path) -> list[tuple[str, str]]:
    return [(r["file_name"], r["status"]) for r in query(warehouse, "select * from audit.files order by seq")]


def test_an_unchanged_file_is_not_hashed_again_unless_verify(run, mubiao, inbox, hashed):
    warehouse = run(inbox)
    assert sorted(hashed) == sorted(inbox / name for name in INBOX), "the first run hashes every file"
    stats = query(warehouse, "select * from audit.file_stats order by file_name")
    assert [s["file_name"] for s in stats] == sorted(INBOX)
    assert all(s["mtime_ns"] == AN_HOUR_AGO and s["size_bytes"] > 0 for s in stats)
    hashed.clear()
    run(inbox)
    assert hashed == [], "a no-op rerun reads no file"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--verify")
    assert sorted(hashed) == sorted(inbox / name for name in INBOX), "--verify hashes everything"


def test_a_file_rewritten_in_place_with_its_size_and_mtime_is_taken_in(run, inbox):
    warehouse = run(inbox)
    values = inbox / "values.csv"
    inode = values.stat().st_ino
    with values.open("r+", encoding="utf-8") as handle:  # in place: the same inode, the same size
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace("113.1", "113.2"))
    os.utime(values, ns=(AN_HOUR_AGO, AN_HOUR_AGO))  # as `touch -d` puts the time back
    assert (values.stat().st_ino, values.stat().st_size, values.stat().st_mtime_ns) == (
        inode,
        len(text.encode()),
        AN_HOUR_AGO,
    )
    run(inbox)
    assert _names(warehouse)[len(INBOX) :] == [("values.csv", "loaded")], "the ctime gave it away"
    assert query(warehouse, "select value from core.zone_indicator_values where year = 2016") == [{"value": 113.2}]


def test_a_file_whose_ctime_alone_moved_is_hashed_by_one_no_op_only(run, inbox, hashed, tmp_path):
    warehouse = run(inbox)
    values = inbox / "values.csv"
    os.link(values, tmp_path / "linked.csv")  # a hard link made to it moves its ctime, not its content
    hashed.clear()
    run(inbox)
    assert hashed == [values], "the no-op hashes it, finds it as recorded and keeps its new stat beside the warehouse"
    hashed.clear()
    run(inbox)
    assert hashed == [], "the next no-op trusts the kept stat"
    assert len(_names(warehouse)) == len(INBOX)
    with values.open("r+", encoding="utf-8") as handle:  # then rewritten in place, its size and mtime kept
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace("113.1", "113.2"))
    os.utime(values, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    run(inbox)
    assert _names(warehouse)[len(INBOX) :] == [("values.csv", "loaded")], "the kept stat vouches for nothing else"
    assert not refreshed_path(warehouse).exists(), "a run that publishes records every stat in the warehouse"


def test_a_kept_stat_vouches_only_at_rest_for_a_content_the_ledger_holds(tmp_path: Path):
    path, kept = tmp_path / "a.csv", tmp_path / "spill" / "file_stats.json"
    path.write_text("x", encoding="utf-8")
    later = time.time_ns() + 3 * 10**9
    with duckdb.connect() as con:
        apply_schema(con)
        con.execute("insert into audit.files values (1, 'a.csv', 'sha', 'units', now(), 'loaded', 1, 1, 0, null, 1)")
        write_refreshed(kept, {"a.csv": seen_now(path.stat(), "sha", later)})
        assert read_refreshed(con, kept) == {"a.csv": seen_now(path.stat(), "sha", later)}
        write_refreshed(kept, {"a.csv": seen_now(path.stat(), "other", later)})
        assert read_refreshed(con, kept) == {}, "a content the ledger lacks"
        write_refreshed(kept, {"a.csv": seen_now(path.stat(), "sha", time.time_ns())})
        assert read_refreshed(con, kept) == {}, "written in the tick of its stat"
        kept.write_text('{"a.csv": [1, "x"', encoding="utf-8")
        assert read_refreshed(con, kept) == {}, "a torn file vouches for nothing"
    assert [p.name for p in kept.parent.iterdir()] == ["file_stats.json"], "replaced whole, no temporary left"


def test_verify_catches_a_change_the_stat_does_not_show(run, mubiao, inbox):
    warehouse = run(inbox)
    values = inbox / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("113.1", "113.2"), encoding="utf-8")
    os.utime(values, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    after = values.stat()
    with duckdb.connect(str(warehouse)) as con:  # a filesystem whose stat hid the rewrite
        con.execute(
            "update audit.file_stats set size_bytes = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, dev = ?"
            " where file_name = 'values.csv'",
            [after.st_size, after.st_mtime_ns, after.st_ctime_ns, after.st_ino, after.st_dev],
        )
    run(inbox)
    assert len(_names(warehouse)) == len(INBOX), "the stat vouched for the file"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--verify")
    assert _names(warehouse)[len(INBOX) :] == [("values.csv", "loaded")]


def test_a_renamed_file_and_a_new_file_are_taken_in(run, inbox):
    warehouse = run(inbox)
    (inbox / "2017").mkdir()
    (inbox / "units.csv").rename(inbox / "2017" / "units.csv")
    (inbox / "values-2018.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\nU1,GDP,2018-12,130,亿元,4.6\n", encoding="utf-8"
    )
    os.utime(inbox / "values-2018.csv", ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    run(inbox)
    assert sorted(_names(warehouse)[len(INBOX) :]) == [("2017/units.csv", "duplicate"), ("values-2018.csv", "loaded")]
    stats = query(warehouse, "select file_name from audit.file_stats order by all")
    assert [s["file_name"] for s in stats] == ["2017/units.csv", "catalogue.csv", "values-2018.csv", "values.csv"]


def _vouched_after(path: Path, checked_ns: int, held: str = "sha") -> dict:
    """What `vouched` says of `path` recorded (sha256 "sha") with its stat taken at `checked_ns`, in a warehouse
    whose ledger holds `held` under its name."""
    with duckdb.connect() as con:
        apply_schema(con)
        con.execute(
            "insert into audit.files values (1, ?, ?, 'units', now(), 'loaded', 1, 1, 0, null, 1)", [path.name, held]
        )
        record_stats(con, {path.name: seen_now(path.stat(), "sha", checked_ns)}, [])
        return vouched(con)


def test_a_racily_clean_file_is_trusted_only_once_seen_at_rest(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("x", encoding="utf-8")
    stat = path.stat()
    assert _vouched_after(path, time.time_ns()) == {}, "written in the tick of its stat"
    assert _vouched_after(path, time.time_ns() + 3 * 10**9) == {"a.csv": stat_key(stat)}, "seen again later"
    assert _vouched_after(path, time.time_ns() + 3 * 10**9, held="other") == {}, "a content the ledger lacks"
    time.sleep(0.05)  # past the file clock's tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert stat_key(path.stat()) != stat_key(stat), "the ctime moved"


def test_the_records_of_vouched_files_stand_and_those_of_files_gone_go(tmp_path: Path):
    (tmp_path / "a.csv").write_text("a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("b", encoding="utf-8")
    seen = {name: seen_now((tmp_path / name).stat(), name, 1) for name in ("a.csv", "b.csv")}
    with duckdb.connect() as con:
        apply_schema(con)
        record_stats(con, seen, [])
        later = {"c.csv": seen_now((tmp_path / "a.csv").stat(), "c", 2)}
        record_stats(con, later, ["a.csv"])
        rows = con.execute("select file_name, sha256, checked_ns from audit.file_stats order by all").fetchall()
    assert rows == [("a.csv", "a.csv", 1), ("c.csv", "c", 2)]


def test_a_look_reads_the_register_again_only_once_its_stat_changed(run, inbox, monkeypatch):
    register = inbox / REGISTER_NAME
    register.write_text("文件名,收文时间\nvalues.csv,2017-02-03 09:00\n", encoding="utf-8")
    os.utime(register, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    warehouse = run(inbox)
    reads: list[Path] = []
    real = news.read_register
    monkeypatch.setattr(news, "read_register", lambda folder: reads.append(folder) or real(folder))
    assert news.look(inbox, warehouse, DEFAULT_DUE_DAY)[0] is not None and reads == [], "at rest: not read"
    assert news.look(inbox, warehouse, DEFAULT_DUE_DAY, verify=True)[0] is not None and reads == [inbox]
    register.write_text("文件名,收文时间\nvalues.csv,2017-02-04 09:00\n", encoding="utf-8")  # the same size
    os.utime(register, ns=(AN_HOUR_AGO, AN_HOUR_AGO))  # and mtime, as `touch -d` puts it back: the ctime moved
    assert news.look(inbox, warehouse, DEFAULT_DUE_DAY)[0] is None, "the register retimes a file: a run has work"
    run(inbox)
    [values] = query(warehouse, "select received_at from audit.files where file_name = 'values.csv'")
    assert values["received_at"] == dt.datetime(2017, 2, 4, 1, 0, tzinfo=dt.UTC)
