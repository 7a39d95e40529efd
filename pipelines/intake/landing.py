"""Take files from the inbox into the landing store, addressed by content.

docs/marts.md §3.1–3.2: every file is kept unchanged; the same content twice changes
nothing. A file already recorded under the same name and hash is not a new
receipt and is skipped silently; the same content under another name is a
`duplicate`. Files are taken in the order they were received (pipelines/intake/receipts.py),
so a later resubmission supersedes an earlier one. The copies are on disk before a
warehouse that records them is published (`sync_landed`), so a crash between the two
leaves an orphan copy, never a record without its file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from mubiao.foundation.checkpoints import checkpoint
from mubiao.foundation.durability import fsync, syncfs
from mubiao.foundation.errors import MubiaoError
from mubiao.pipelines.intake.file_stats import Seen, Stat, seen_now, stat_key, stat_of
from mubiao.pipelines.intake.inbox import Passed, Scan, listing, scan
from mubiao.pipelines.intake.receipts import REGISTER_NAME, parse_register


@dataclass(frozen=True)
class Arrival:
    path: Path
    file_name: str
    sha256: str
    size_bytes: int
    received_at: dt.datetime
    duplicate: bool


class StillBeingWritten(OSError):
    """A file kept changing for longer than the wait allows: transient, so the landing is retried later."""


def wait_until_settled(paths: list[Path], interval: float, rounds: int = 10) -> bool:
    """Return once no file in `paths` has changed (size, mtime) for `interval` seconds; whether it waited.

    A file last written longer than `interval` ago is taken as it is, so a normal run does not wait.
    A file that is still changing after `rounds` intervals raises StillBeingWritten.
    """

    def signature(path: Path) -> tuple[int, int]:
        stat = path.stat()
        return stat.st_size, stat.st_mtime_ns

    young = {path: signature(path) for path in paths if time.time() - path.stat().st_mtime < interval}
    if not young:
        return False
    for _ in range(rounds):
        time.sleep(interval)
        young = {path: now for path, before in young.items() if (now := signature(path)) != before}
        if not young:
            return True
    names = "、".join(sorted(path.name for path in young))
    raise StillBeingWritten(f"文件仍在写入：{names}（已等待 {rounds * interval:g} 秒）")


def sha256_of(path: Path) -> str:
    return _hashed(path)[0]


def _hashed(path: Path) -> tuple[str, int]:
    """The sha256 of a file and the number of bytes it was computed over."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in _blocks(handle):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _blocks(handle: BinaryIO) -> Iterator[bytes]:
    return iter(lambda: handle.read(1 << 20), b"")


def landing_store(warehouse: Path) -> Path:
    """The landing store of `warehouse`: every file as it came, beside the warehouse file."""
    return warehouse.parent / "landing"


def landed_path(landing: Path, sha256: str) -> Path:
    return landing / sha256[:2] / sha256


class ChangedSinceReceived(MubiaoError):
    """A file changed or went between its hashing and its copy: what was received can no longer be kept."""


INCOMING = ".incoming"
"""The landing store's folder of copies being written (`<sha256>.partial`), emptied by `remove_partials`."""


def remove_partials(landing: Path) -> None:
    """Remove the copies a killed run left half-written. Only under the writer lock: a run may be landing."""
    for partial in (landing / INCOMING).glob("*.partial"):
        partial.unlink(missing_ok=True)


def copy_in(arrivals: list[Arrival], landing: Path) -> None:
    """Copy each new (not duplicate) arrival into the landing store by way of a `.partial` file in INCOMING.

    The copy is hashed as it is written, so a landed file always holds the content its name says; whatever
    fails, the partial copy goes. A copy already there is kept when its content matches its name (landed by a
    run that then died).
    """
    for arrival in arrivals:
        target = landed_path(landing, arrival.sha256)
        if arrival.duplicate or (target.exists() and sha256_of(target) == target.name):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        (landing / INCOMING).mkdir(exist_ok=True)
        partial = landing / INCOMING / f"{arrival.sha256}.partial"
        try:
            _copy_hashed(arrival, partial)
            partial.replace(target)
        except BaseException as error:
            partial.unlink(missing_ok=True)
            if isinstance(error, OSError) and error.filename is None:
                error.filename = str(partial)  # a failed write names no file
            raise
        checkpoint("landing")


def _copy_hashed(arrival: Arrival, partial: Path) -> None:
    digest = hashlib.sha256()
    try:
        with arrival.path.open("rb") as source, partial.open("wb") as copy:
            for block in _blocks(source):
                digest.update(block)
                copy.write(block)
    except FileNotFoundError:
        raise ChangedSinceReceived(f"文件在本次运行中被移走：{arrival.file_name}（请重新运行）") from None
    if digest.hexdigest() != arrival.sha256:
        raise ChangedSinceReceived(f"文件在本次运行中被改动：{arrival.file_name}（下次运行会按新内容收取）")


def sync_landed(landing: Path, arrivals: list[Arrival]) -> None:
    """Flush the arrivals' landed copies and their folders to disk: due before a ledger naming them is published.

    On Linux 5.8 and later one syncfs(2) of the landing store's filesystem does it, far faster than a fsync per
    copy when thousands arrive. Elsewhere each copy and folder is fsynced, side by side.
    """
    copies = {landed_path(landing, a.sha256) for a in arrivals if not a.duplicate}
    if not copies or syncfs(landing):
        return
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fsync, [*copies, *{copy.parent for copy in copies}, landing]))


@dataclass(frozen=True)
class Known:
    """What a look for news holds the inbox against: the stat that vouches for each file unread (file_stats.vouched)
    and the ledger, each recorded sha256 with its names, asked for only when a file's stat cannot vouch (at bench
    size M a no-op's 48,000 files are all vouched for, and reading the ledger's names took a quarter of its queries)."""

    vouched: dict[str, Stat]
    ledger: Callable[[], dict[str, set[str]]]

    @classmethod
    def of(cls, ledger: dict[str, set[str]], vouched: dict[str, Stat] | None = None) -> Known:
        """From the ledger as a run reads it."""
        return cls(vouched or {}, lambda: ledger)


def has_news(
    inbox: Path,
    known: Known,
    skip: Iterable[Path] = (),
    passed: set[Passed] | None = None,
    found: Scan | None = None,
    refreshed: dict[str, Seen] | None = None,
) -> bool:
    """Whether the inbox holds a file the ledger has not recorded under its name (what `receive` would take),
    or passes over other entries than `passed` (what the warehouse says it passed over); `found` is its `listing`,
    if the caller has walked it. Each file hashed and found as recorded goes into `refreshed`, with its stat.

    A file whose stat `known` vouches for is recorded under its name with its content. Of the others, a name the
    ledger has never recorded is news whatever its content, so a month's new files are found without hashing the
    years of files beside them; only a known name's file is hashed. The walk's own stat serves: it is as fresh as
    the listing."""
    found = found or listing(inbox, skip)
    if passed is not None and set(found.passed) != passed:
        return True
    vouched = known.vouched
    unvouched = [(name, walked) for name, walked in found.stats.items() if vouched.get(name) != stat_key(walked[0])]
    if not unvouched:
        return False
    ledger = known.ledger()
    names = set().union(*ledger.values())
    if any(name not in names for name, _ in unvouched):
        return True
    for name, (stat, checked, path) in unvouched:
        sha = sha256_of(Path(path))
        if name not in ledger.get(sha, ()):
            return True
        if refreshed is not None:
            refreshed[name] = seen_now(stat, sha, checked)
    return False


class Received(NamedTuple):
    """What `receive` found: the new files, what the inbox passes over, the stat of each file it hashed and of the
    receipt register, the names of those its recorded stat vouched for (their records stand), and the register's
    times."""

    arrivals: list[Arrival]
    passed: list[Passed]
    seen: dict[str, Seen]
    vouched: list[str]
    register: dict[str, dt.datetime]


def receive(
    inbox: Path,
    ledger: dict[str, set[str]],
    skip: Iterable[Path] = (),
    settle: float = 0,
    stats: dict[str, Stat] | None = None,
    since: Scan | None = None,
) -> Received:
    """The inbox's new files (none under `skip`), hashed, in the order received, and what it passes over.

    `ledger` maps each recorded sha256 to its names; `copy_in` lands the arrivals. A file whose stat is as
    `stats` vouches for it (file_stats.vouched) is known without reading it (None: every file is hashed,
    `mubiao run --verify`). A file written less than `settle` seconds ago is first given time to finish
    (`wait_until_settled`). A file that cannot be read (no permission) or that goes before it is hashed is
    passed over with its reason. `since` is a scan made earlier in the run (flows/news.py's): only the folders
    changed since are listed again. The register is read once, for the scan and for the caller.
    """
    register, register_seen = _register(inbox)
    found = scan(inbox, skip, since, register)
    if settle and wait_until_settled(young := found.recent(settle), settle):
        # files may have come or gone meanwhile, in the folders that changed; the young ones' are listed again
        found = scan(inbox, skip, found.forgetting(young), register)
    received, vouched, added = Received([], list(found.passed), {}, [], register), stats or {}, {}
    for path, name, at in found.found:
        try:
            stat, checked = found.stats[name][:2] if name in found.stats else stat_of(path)
            if vouched.get(name) == stat_key(stat):
                received.vouched.append(name)
                continue
            sha, size = _hashed(path)
        except PermissionError:
            received.passed.append(Passed(name, "无权读取此文件"))
            continue
        except FileNotFoundError:
            received.passed.append(Passed(name, "文件在收取时被移走"))
            continue
        received.seen[name] = seen_now(stat, sha, checked)
        if name in ledger.get(sha, ()) or name in added.get(sha, ()):
            continue
        duplicate = sha in ledger or sha in added
        added.setdefault(sha, set()).add(name)
        received.arrivals.append(Arrival(path, name, sha, size, at, duplicate))
    received.seen.update(register_seen)
    return received


def _register(inbox: Path) -> tuple[dict[str, dt.datetime], dict[str, Seen]]:
    """The receipt register's times, and its stat (taken before it was read) with the sha256 of what was read: kept
    in audit.file_stats, so that a look for news reads it again only once that stat changes (flows/news.py)."""
    path = inbox / REGISTER_NAME
    if not path.is_file():
        return {}, {}
    stat, checked = stat_of(path)
    data = path.read_bytes()
    return parse_register(data), {REGISTER_NAME: seen_now(stat, hashlib.sha256(data).hexdigest(), checked)}
