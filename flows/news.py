"""What a run will find, read from the published warehouse without Prefect, so that a run with nothing to do
says so at once (the command asks before it imports the flows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mubiao.pipelines.intake.file_stats import Stat, at_rest, read_refreshed, refreshed_path, vouched, write_refreshed
from mubiao.pipelines.intake.inbox import Passed, Scan, listing, own_artefacts
from mubiao.pipelines.intake.landing import Known, has_news
from mubiao.pipelines.intake.ledger import ledger, passed_over, receipt_epochs
from mubiao.pipelines.intake.receipts import REGISTER_NAME, read_register, register_changes
from mubiao.warehouse.models import needs_build
from mubiao.warehouse.published import connect_published


@dataclass
class Published:
    """The published warehouse as a run starts."""

    known: dict[str, set[str]]
    """Its ledger: every recorded sha256 with the names it arrived under."""
    passed: set[Passed]
    """What its latest run passed over in the inbox."""
    stale: bool
    """Whether its marts must be rebuilt (a missing table, a new due day)."""
    received: dict[str, int] = field(default_factory=dict)
    """Each recorded name's received_at, in µs since the epoch."""
    stats: dict[str, Stat] | None = field(default_factory=dict)
    """Each inbox file's stat as its latest run recorded it, where it vouches for the file (file_stats.vouched);
    None with `verify`, when no stat vouches for anything."""


def published_state(warehouse: Path, due_day: int, verify: bool = False) -> Published:
    """Read-only, so never blocked by a run that is writing."""
    if not warehouse.exists():
        return Published({}, set(), True)
    with connect_published(warehouse) as con:
        return Published(
            ledger(con),
            passed_over(con),
            needs_build(con, due_day),
            receipt_epochs(con),
            None if verify else vouched(con),
        )


def look(inbox: Path, warehouse: Path, due_day: int, verify: bool = False) -> tuple[set[Passed] | None, Scan | None]:
    """What the inbox passes over, when a run would find no file to take in and no mart to rebuild (None when
    there is something to do), and the inbox's scan when it was walked, for the run to list again only the
    folders changed since. With `verify` every file is hashed, whatever its stat.

    A no-op at bench size M holds 48,000 files against the ledger: what is read from the warehouse is read in
    tuples and integers (no object, no datetime a file), the walk makes no path, time or order of its files, and
    its stats serve; the ledger's names are read only if a file's stat cannot vouch for it. The receipt register
    is read only if its stat changed since the latest run read it (its receipts then follow it): at M it lists
    every file, and reading it and matching its names took 0.28 s.

    The stats of files it hashed and found as recorded (their stat moved, their content did not) are kept beside
    the warehouse for the next look (file_stats.write_refreshed), which a no-op does not write."""
    if not warehouse.exists():
        return None, None
    with connect_published(warehouse) as con:
        if needs_build(con, due_day):
            return None, None
        passed, stats = passed_over(con), {} if verify else vouched(con)
        kept = {} if verify else read_refreshed(con, refreshed_path(warehouse))
        read = verify or not at_rest(con, inbox / REGISTER_NAME, REGISTER_NAME)
        if read and register_changes(read_register(inbox), receipt_epochs(con))[0]:
            return None, None
    skip = own_artefacts(warehouse)
    found, refreshed = listing(inbox, skip), None if verify else {}
    stats.update((name, seen.stat) for name, seen in kept.items())
    if has_news(inbox, Known(stats, _ledger_read(warehouse)), skip, passed, found, refreshed):
        return None, found
    if refreshed:  # hashed for a stat that moved, the content as recorded: trusted from the next look on
        kept = {name: seen for name, seen in {**kept, **refreshed}.items() if name in found.stats}
        write_refreshed(refreshed_path(warehouse), kept)
    return passed, found


def _ledger_read(warehouse: Path) -> Callable[[], dict[str, set[str]]]:
    """The ledger, read once, when first asked for (at the first file whose stat cannot vouch)."""
    read: list[dict[str, set[str]]] = []

    def known() -> dict[str, set[str]]:
        if not read:
            with connect_published(warehouse) as con:
                read.append(ledger(con))
        return read[0]

    return known
