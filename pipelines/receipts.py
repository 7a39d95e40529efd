"""When each file was received: the inbox's receipt register, else the file's own time.

An office that takes submissions by e-mail or through its OA system often saves
them into the inbox in one go, later than they arrived. It can then keep a
receipt register (收文登记) at the inbox root, `收文登记.csv`, with the columns
文件名 (the file's path under the inbox) and 收文时间 (a date and time in the zone's
time zone, Asia/Shanghai, unless it names another offset). A file the register
does not list was received when it was last written (its modification time).
The register is not a submission: it is never landed.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

from mubiao.foundation.zone import ZONE_TIME
from mubiao.pipelines.file_reading import UnreadableFile, decode
from mubiao.pipelines.kinds import header_token

REGISTER_NAME = "收文登记.csv"
_FILE_NAME = {header_token(s) for s in ("文件名", "文件名称", "file_name")}
_RECEIVED_AT = {header_token(s) for s in ("收文时间", "收到时间", "received_at")}

log = logging.getLogger(__name__)


def parse_received_at(text: str) -> dt.datetime:
    """A register time as an aware datetime; naive times are the zone's local time."""
    value = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    return value if value.tzinfo else value.replace(tzinfo=ZONE_TIME)


def read_register(inbox: Path) -> dict[str, dt.datetime]:
    """File name → received_at from the inbox's register; a line that does not parse is skipped with a warning."""
    path = inbox / REGISTER_NAME
    if not path.is_file():
        return {}
    try:
        rows = list(csv.reader(decode(path.read_bytes()).splitlines()))
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


def received_at(name: str, register: dict[str, dt.datetime], mtime: float) -> dt.datetime:
    """The register's time for the file `name`, else its modification time `mtime` (whole seconds)."""
    if name in register:
        return register[name]
    return dt.datetime.fromtimestamp(int(mtime), dt.UTC)
