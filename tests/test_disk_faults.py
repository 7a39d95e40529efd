"""A disk that fills up or fails during a real run costs no day's work: one line says what, nothing is left behind.

tests/disk_faults.c, compiled here and loaded with LD_PRELOAD into a real `mubiao` process, fails one class of
call (write, fsync, rename, open for writing) on the paths of one stage (landing, the run's chunks, the private
copy and its WAL, the Data Docs, the pack, feedback) with ENOSPC, EIO or another errno, from a named checkpoint
on (foundation/checkpoints.py) and, as a full disk would, every time after; or it makes statvfs report a disk
with little room. As in tests/test_crash_safety.py, the first half of a synthetic zone is published and the run
takes in the full zone. After each fault:

- the run said one line (错误：…, or 警告：… once the warehouse was published) naming the cause, and no traceback;
- the published warehouse holds exactly the first half, or exactly the full zone when the fault came after
  the publish;
- every file the warehouse records is in the landing store, whole;
- no temporary file is left (a private copy, a WAL, a partial copy or page, chunks);
- the next run, the fault gone, ends with the warehouse a clean run gives.

The points and their outcomes are written to tests/artifacts/disk-faults.md.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from mubiao.foundation.disk import CAUSES
from mubiao.pipelines.intake.landing import landed_path
from tests.browser import ARTIFACTS
from tests.disk_faults import Done, FaultyMubiao, compile_shim
from tests.synthetic_zone import write_zone
from tests.test_crash_safety import REFERENCE_FILES, snapshot

WAREHOUSE = "wh.duckdb"
PERIOD = "2021-06"


@dataclass(frozen=True)
class Point:
    stage: str
    call: str  # write, fsync, rename, open (for writing), or free (statvfs says so many MB are free)
    code: int  # the errno; for free, the megabytes
    path: str  # the fault strikes paths that contain this ({work}: the folder of the warehouse)
    start: str = ""  # the checkpoint it starts at; from the start if empty
    end: str = ""  # the checkpoint it ends at
    times: int | None = None  # how many calls fail; every one if None
    command: tuple[str, ...] = ("run",)
    expect: str = "error"  # error (exit 1), warning (exit 0 once published), passed (exit 0, said nothing)

    @property
    def published(self) -> bool:
        """Whether the run publishes the full zone despite the fault."""
        return self.expect != "error" and self.command == ("run",)

    def __str__(self) -> str:
        what = f"{self.code} MB free" if self.call == "free" else f"{self.call} {errno.errorcode[self.code]}"
        moment = f" from {self.start}" if self.start else ""
        moment += f" until {self.end}" if self.end else ""
        times = f" ×{self.times}" if self.times else ""
        return f"{self.stage}: {what}{times} on *{self.path}*{moment}"


POINTS = [
    Point("room", "free", 5, "/"),
    Point("landing", "write", errno.ENOSPC, "/landing/.incoming/"),
    Point("landing", "write", errno.EIO, "/landing/.incoming/", times=1, expect="passed"),
    Point("landing", "rename", errno.ENOSPC, "/landing/"),
    Point("landing", "fsync", errno.EIO, "/landing", start="built"),
    Point("staging", "open", errno.EACCES, ".arrow"),
    Point("staging", "write", errno.ENOSPC, ".arrow"),
    Point("build", "write", errno.ENOSPC, f"{WAREHOUSE}.building", start="landed"),
    Point("build", "write", errno.ENOSPC, f"{WAREHOUSE}.building.wal", start="ledger-opened"),
    Point("build", "write", errno.EFBIG, f"{WAREHOUSE}.building.wal", start="ingested-units"),
    Point("build", "write", errno.EDQUOT, f"{WAREHOUSE}.building.wal", start="committed"),
    Point("build", "write", errno.EIO, f"{WAREHOUSE}.building.wal", start="building-marts"),
    Point("checkpoint", "write", errno.ENOSPC, f"{WAREHOUSE}.building", start="built"),
    Point("checkpoint", "fsync", errno.EIO, f"{WAREHOUSE}.building", start="built"),
    Point("publish", "fsync", errno.EIO, f"{WAREHOUSE}.building", start="closed"),
    Point("rename", "rename", errno.EROFS, f"/{WAREHOUSE}", start="closed"),
    Point("validation", "open", errno.ENOSPC, "/gx/", start="ledger-opened", end="ingested", expect="passed"),
    Point("Data Docs", "open", errno.ENOSPC, "/gx/", start="published", expect="warning"),
    Point("Data Docs", "rename", errno.ENOSPC, "local_site", start="published", expect="warning"),
    Point("pack", "write", errno.ENOSPC, "/report/", start="published", expect="warning"),
    Point("pack", "open", errno.EDQUOT, "report.xlsx", start="published", expect="warning"),
    Point("after the publish", "write", errno.EIO, "{work}/", start="published", expect="warning"),
    Point("feedback", "write", errno.ENOSPC, "/feedback/", command=("feedback", "--period", PERIOD)),
    Point("feedback", "open", errno.EROFS, "/feedback/", command=("feedback", "--period", PERIOD)),
]
OUTCOMES: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def table() -> Iterator[None]:
    """The points run and their outcomes, for the closing note of a change (pytest -s prints it too)."""
    yield
    rows = [f"| {point} | {OUTCOMES[str(point)]} |" for point in POINTS if str(point) in OUTCOMES]
    if rows:
        ARTIFACTS.mkdir(exist_ok=True)
        text = "| point | outcome |\n|---|---|\n" + "\n".join(rows) + "\n"
        (ARTIFACTS / "disk-faults.md").write_text(text, encoding="utf-8")
        print(f"\n{text}")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyMubiao]:
    from prefect.settings import PREFECT_API_URL

    shim = compile_shim(tmp_path_factory.mktemp("shim"))
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), COLUMNS="200", NO_COLOR="1")
    server = FaultyMubiao(shim, env, tmp_path_factory.mktemp("output"))
    yield server
    server.close()


def _run_clean(faulty: FaultyMubiao, warehouse: Path, *command: str) -> None:
    """`mubiao <command>` on a disk that does not fail."""
    done = faulty.run([*command, "--warehouse", str(warehouse)], {"MUBIAO_FAULT": ""}, warehouse.parent)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def zone(faulty: FaultyMubiao, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The full zone, its first half, and what a clean run of the first half, then of the full zone, leaves."""
    from mubiao.pipelines.intake.inbox import scan_inbox

    root = tmp_path_factory.mktemp("zone")
    full = write_zone(root / "full")
    names = sorted(p.name for p in full.iterdir())
    for position, name in enumerate([*REFERENCE_FILES, *(n for n in names if n not in REFERENCE_FILES)]):
        os.utime(full / name, (1_600_000_000 + 60 * position,) * 2)
    first = root / "first"
    first.mkdir()
    arrivals = scan_inbox(full)
    for path, name, _ in arrivals[: len(arrivals) // 2]:
        shutil.copy2(path, first / name)
    clean = root / "clean" / WAREHOUSE
    clean.parent.mkdir()
    _run_clean(faulty, clean, "run", "--inbox", str(first))
    after_first = snapshot(clean)
    shutil.copytree(clean.parent, root / "published_first")
    _run_clean(faulty, clean, "run", "--inbox", str(full))
    shutil.copytree(clean.parent, root / "published_full")
    return {
        "full": full,
        "published_first": root / "published_first",
        "published_full": root / "published_full",
        "after_first": after_first,
        "after_full": snapshot(clean),
    }


def _faulty(point: Point, faulty: FaultyMubiao, zone: dict, work: Path) -> Done:
    """The point's command as a user types it, in a process whose disk fails as the point says."""
    fault = {
        "MUBIAO_FAULT": f"{point.call}:{point.code}:{point.path.format(work=work)}",
        "MUBIAO_FAULT_FROM": point.start,
        "MUBIAO_FAULT_UNTIL": point.end,
        "MUBIAO_FAULT_TIMES": "" if point.times is None else str(point.times),
        "MUBIAO_FAULT_LOG": str(work / "struck.log"),
    }
    return faulty.run([*point.command, *_inbox(point, zone), "--warehouse", str(work / WAREHOUSE)], fault, work)


def _inbox(point: Point, zone: dict) -> list[str]:
    return ["--inbox", str(zone["full"])] if point.command == ("run",) else []


LEFTOVER_SUFFIXES = (".building", ".wal", ".tmp", ".partial", ".old")


def leftovers(folder: Path) -> list[Path]:
    """Temporary files and folders of a load or a writer, and chunks of a run, under `folder`."""
    found = [
        path
        for path in folder.rglob("*")
        if path.name.endswith(LEFTOVER_SUFFIXES) or (path.parent.name == "spill" and path.name.startswith("run-"))
    ]
    return found + [path for path in (folder / "landing" / ".incoming").glob("*")]


def _landed_whole(work: Path) -> None:
    with duckdb.connect(str(work / WAREHOUSE), read_only=True) as con:
        recorded = [sha for (sha,) in con.execute("select sha256 from audit.files").fetchall()]
    for sha in recorded:
        copy = landed_path(work / "landing", sha)
        assert copy.is_file() and hashlib.sha256(copy.read_bytes()).hexdigest() == sha, copy


def _said(point: Point, done: Done) -> str:
    """The one line the run said about the fault."""
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "内部错误" not in output, output
    assert ("自动重试" in output) == (point.times is not None), "what can pass is retried and said; nothing else"
    if point.expect == "passed":
        assert done.returncode == 0, output
        retried = [line for line in done.stderr.splitlines() if "重试" in line]
        return retried[0].strip() if retried else "（未写入任何文件，无需处理）"
    marker = "错误：" if point.expect == "error" else "警告："
    lines = [line for line in output.splitlines() if line.startswith(marker)]
    assert done.returncode == (1 if point.expect == "error" else 0), output
    assert len(lines) >= 1 and all(CAUSES[_cause(point)] in line for line in lines), output
    if point.expect == "error":
        assert len(lines) == 1, output
    return " / ".join(lines)


def _cause(point: Point) -> int:
    return errno.ENOSPC if point.call == "free" else point.code


@pytest.mark.parametrize("point", POINTS, ids=str)
def test_a_disk_fault_costs_nothing_and_says_so_in_one_line(
    point: Point, faulty: FaultyMubiao, zone: dict, tmp_path: Path
):
    start = zone["published_full"] if point.command != ("run",) else zone["published_first"]
    shutil.copytree(start, tmp_path, dirs_exist_ok=True)
    landed_before = sorted(p.name for p in (tmp_path / "landing").rglob("*") if p.is_file())
    done = _faulty(point, faulty, zone, tmp_path)

    struck = (tmp_path / "struck.log").read_text().splitlines() if (tmp_path / "struck.log").exists() else []
    if point.stage == "validation":
        assert not struck, "validation writes nothing, so a fault of the disk cannot touch it"
    else:
        assert struck, f"the fault never struck: {done.stdout}{done.stderr}"
    said = _said(point, done)
    expected = "after_full" if point.published or point.command != ("run",) else "after_first"
    assert snapshot(tmp_path / WAREHOUSE) == zone[expected], "the published warehouse is old or new, never a mix"
    _landed_whole(tmp_path)
    assert not leftovers(tmp_path), leftovers(tmp_path)
    if point.call == "free":
        assert sorted(p.name for p in (tmp_path / "landing").rglob("*") if p.is_file()) == landed_before
        assert "本次运行约需" in said and "剩余 5 MB" in said, said

    _run_clean(faulty, tmp_path / WAREHOUSE, *point.command, *_inbox(point, zone))
    assert snapshot(tmp_path / WAREHOUSE) == zone["after_full"], "the next run ends as a clean run"
    assert not leftovers(tmp_path), leftovers(tmp_path)
    if point.expect == "warning":
        assert (tmp_path / "report").is_dir()
    OUTCOMES[str(point)] = f"exit {done.returncode}, {len(struck)} call(s) failed; {said.replace(str(tmp_path), '…')}"
