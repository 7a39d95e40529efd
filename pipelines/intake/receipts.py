"""When each file was received: the inbox's receipt register, else the file's own time.

An office that takes submissions by e-mail or through its OA system often saves
them into the inbox in one go, later than they arrived. It can then keep a
receipt register (收文登记) at the inbox root, `收文登记.csv`, with the columns
文件名 (the file's path under the inbox, its full path, or its bare name) and
收文时间 (a date and time in the zone's time zone, Asia/Shanghai, unless it names
another offset). A file the register does not list was received when it was
last written (its modification time). The register is not a submission: it is
never landed, and an edit to it is applied again to the files it lists.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path

from mubiao.foundation.kinds import header_token
from mubiao.foundation.zone import ZONE_TIME
from mubiao.pipelines.parsers.text import UnreadableFile, decode

REGISTER_NAME = "收文登记.csv"
_FILE_NAME = {header_token(s) for s in ("文件名", "文件名称", "file_name")}
_RECEIVED_AT = {header_token(s) for s in ("收文时间", "收到时间", "received_at")}

log = logging.getLogger(__name__)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def parse_received_at(text: str) -> dt.datetime:
    """A register time as an aware datetime; naive times are the zone's local time."""
    value = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    return value if value.tzinfo else value.replace(tzinfo=ZONE_TIME)


def read_register(inbox: Path) -> dict[str, dt.datetime]:
    """File name → received_at from the inbox's register; a line that does not parse is skipped with a warning."""
    path = inbox / REGISTER_NAME
    return parse_register(path.read_bytes()) if path.is_file() else {}


def parse_register(data: bytes) -> dict[str, dt.datetime]:
    """The register's file names and times, from its bytes (`read_register`)."""
    try:
        rows = list(csv.reader(decode(data).splitlines()))
    except UnreadableFile as error:
        log.warning("%s：%s，已忽略", REGISTER_NAME, error)
        return {}
    if not rows:
        return {}
    header = [header_token(cell) for cell in rows[0]]
    try:
        name_at = next(i for i, h in enumerate(header) if h in _FILE_NAME)
        time_at = next(i for i, h in enumerate(header) if h in _RECEIVED_AT)
    except StopIteration:
        log.warning("%s: 表头应有 文件名 和 收文时间，已忽略", REGISTER_NAME)
        return {}
    register = {}
    for number, row in enumerate(rows[1:], start=2):
        try:
            register[row[name_at].strip()] = parse_received_at(row[time_at])
        except (IndexError, ValueError):
            log.warning("%s 第%d行无法识别，已忽略：%s", REGISTER_NAME, number, ",".join(row))
    return register


def match_register(register: dict[str, dt.datetime], names: list[str]) -> tuple[dict[str, dt.datetime], list[str]]:
    """The register's time for each of the inbox's `names` (paths under the inbox) it lists, and the bare names
    it cannot place.

    Clerks write a file's path under the inbox (2017-10/阳庙镇.csv, with / or \\), its full path where the inbox
    sits on their machine (D:\\收件箱\\2017-10\\阳庙镇.csv), or its bare name (阳庙镇.csv). A path matches the file
    it ends with; a bare name matches the one file of that name, and one that several files bear is reported,
    never guessed.
    """
    times: dict[str, dt.datetime] = {}
    ambiguous: list[str] = []
    exact, by_base = set(names), {}
    for written, moment in register.items():
        path = written.replace("\\", "/").strip().strip("/")
        if path in exact:  # the path under the inbox, as registers mostly give it: no name is split (48,000 at M)
            times[path] = moment
            continue
        by_base = by_base or _by_base(names)
        if "/" in path:
            ends = [n for n in by_base.get(path.rsplit("/", 1)[-1], []) if path.endswith("/" + n)]
            if ends:
                times[max(ends, key=len)] = moment
        elif len(files := by_base.get(path, [])) == 1:
            times.setdefault(files[0], moment)
        elif files:
            ambiguous.append(written)
    return times, ambiguous


def _by_base(names: list[str]) -> dict[str, list[str]]:
    by_base: dict[str, list[str]] = {}
    for name in names:
        by_base.setdefault(name.rsplit("/", 1)[-1], []).append(name)
    return by_base


def register_changes(
    register: dict[str, dt.datetime], received_us: dict[str, int], arrived: Iterable[str] = ()
) -> tuple[dict[str, dt.datetime], list[str]]:
    """The files already received whose time the register now gives otherwise than their `received_us` (µs since
    the epoch, as DuckDB's `epoch_us` gives them: no datetime a file), with the register's time; and the register's
    bare names that several of these files or the `arrived` ones bear. Read against the names, so that an edit to
    the register is found without walking the inbox."""
    times, ambiguous = match_register(register, [*received_us, *arrived])
    moved = {
        name: moment
        for name, moment in times.items()
        if name in received_us and received_us[name] != (moment - _EPOCH) // _MICROSECOND
    }
    return moved, ambiguous
