"""What a fault of the disk means, in the office's words: the one place that turns an OSError into a line.

The line names the path, the cause (磁盘空间不足, 读写错误, 只读文件系统, 无权限) and what to do; for a full disk, the
free space and what the run needs: 磁盘空间不足：/srv/mubiao/warehouse.duckdb.building（仓库所在磁盘剩余 18 MB，本次运行
约需 40 MB；请腾出空间后重试）. DuckDB reports the same faults in its own messages (`Could not write file "…": No space
left on device`, inside `Failed to create checkpoint` or `database has been invalidated`); they read the same. Of a
chain of errors (a rollback that fails after a write did), the first is the cause.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mubiao.foundation.errors import MubiaoError

FULL = {
    errno.ENOSPC: ("", "请腾出空间后重试"),
    errno.EDQUOT: ("已超出磁盘配额", "请腾出空间或请管理员放宽配额后重试"),
    errno.EFBIG: ("文件已超出大小上限", "请解除文件大小限制，或换一个磁盘后重试"),
}
"""The faults of a full disk: what sets each apart, and what to do."""
CAUSES = {
    **dict.fromkeys(FULL, "磁盘空间不足"),
    errno.EIO: "读写错误",
    errno.EROFS: "只读文件系统",
    errno.EACCES: "无权限",
    errno.EPERM: "无权限",
}
LASTING = frozenset(CAUSES) - {errno.EIO}
"""Faults a retry cannot pass: the disk stays full, read-only or closed to this user until someone acts."""
_ADVICE = {
    errno.EIO: "磁盘或网络共享读写出错，请检查后重试",
    errno.EROFS: "该位置只能读取，请检查磁盘或共享的挂载，或换一个可写的位置",
    errno.EACCES: "当前用户无权读写该位置，请检查文件夹的权限",
    errno.EPERM: "当前用户无权读写该位置，请检查文件夹的权限",
}
_DUCKDB = {"fsync failed": errno.EIO, "database has been invalidated": errno.EIO}
"""DuckDB's words for a fault of the disk whose errno it does not give."""
_QUOTED_PATH = re.compile(r"[\"'](/[^\"']+)[\"']")
_ERRNO = re.compile(r"\[Errno (\d+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Need:
    """Room a run needs on the disk that holds `folder`, which the office knows as `place` (仓库所在磁盘)."""

    folder: Path
    place: str
    size: int


class DiskFault(MubiaoError):
    """A fault of the disk in one line: the cause, the path, and what to do."""

    def __init__(self, code: int, path: Path | None, advice: str) -> None:
        self.errno, self.path = code, path
        self.what = f"{CAUSES[code]}：{path}" if path else CAUSES[code]
        """The cause and the path, without what to do."""
        super().__init__(f"{self.what}（{advice}）")


def size_text(size: float) -> str:
    """Bytes as the office reads them: 18 MB, 2.5 GB."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB"
    return f"{size / (1 << 20):.0f} MB"


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_space(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free


def _disk(path: Path) -> int:
    return _existing(path).stat().st_dev


def _room(code: int, path: Path, needs: list[Need]) -> str:
    """What to do about a full disk: how much it has left, and how much the run needs of it."""
    what, advice = FULL[code]
    disk = _disk(path)
    same = [need for need in needs if _disk(need.folder) == disk]
    parts = [what] if what else []
    parts.append(f"{same[0].place if same else '所在磁盘'}剩余 {size_text(free_space(path))}")
    if same:
        parts.append(f"本次运行约需 {size_text(sum(need.size for need in same))}")
    return "，".join(parts) + f"；{advice}"


def _found(error: BaseException) -> tuple[int, Path | None] | None:
    """The cause and path of `error` if it is a fault of the disk, told by its errno, or by the text of DuckDB or
    Arrow, which may give the errno's words or number and the path in quotes."""
    text, name = str(error), getattr(error, "filename", None)
    if isinstance(error, OSError) and error.errno in CAUSES:
        code = error.errno
    else:
        duckdb = type(error).__module__.split(".")[0] in ("duckdb", "_duckdb")
        if not (isinstance(error, OSError) or duckdb):
            return None
        codes = [int(found) for found in _ERRNO.findall(text) if int(found) in CAUSES]
        codes += [code for code in CAUSES if os.strerror(code) in text]
        codes += [code for words, code in _DUCKDB.items() if duckdb and words in text]
        if not codes:
            return None
        code = codes[0]
    if name is None and (quoted := _QUOTED_PATH.search(text)):
        name = quoted[1]
    return code, Path(os.fsdecode(name)) if name is not None else None


def disk_fault(error: BaseException, needs: Iterable[Need] = ()) -> DiskFault | None:
    """`error` in words if it, or an error it was raised while handling, is a fault of the disk; else None.

    Of a chain (a rollback that failed after a write failed), the earliest fault is the one reported.
    """
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    needs = list(needs)
    for link in reversed(chain):
        if isinstance(link, DiskFault):
            return link
        if found := _found(link):
            code, path = found
            path = path or (needs[0].folder if needs else None)
            if code not in FULL:
                return DiskFault(code, path, _ADVICE[code])
            try:
                return DiskFault(code, path, _room(code, path, needs) if path else FULL[code][1])
            except OSError:  # the disk cannot even say how full it is
                return DiskFault(code, path, FULL[code][1])
    return None


@contextlib.contextmanager
def in_words(needs: Iterable[Need] = ()) -> Iterator[None]:
    """Raise a fault of the disk met in the block as a DiskFault, with the room `needs` says the run needs."""
    try:
        yield
    except MubiaoError:
        raise
    except Exception as error:
        if (fault := disk_fault(error, needs)) is None:
            raise
        raise fault from error


def require_room(needs: Iterable[Need]) -> None:
    """Stop at once, before anything is written, when a disk has less free space than the run needs of it."""
    by_disk: dict[int, list[Need]] = {}
    for need in needs:
        by_disk.setdefault(_disk(need.folder), []).append(need)
    for same in by_disk.values():
        if free_space(same[0].folder) < sum(need.size for need in same):
            raise DiskFault(errno.ENOSPC, same[0].folder, _room(errno.ENOSPC, same[0].folder, same))


def unwritten_line(what: str, error: BaseException, again: str, needs: Iterable[Need] = ()) -> str:
    """The one line for `what` that could not be written once the warehouse stood: why, and how to write it again."""
    why = disk_fault(error, needs) or f"内部错误：{type(error).__name__}: {(str(error) or '-').splitlines()[0]}"
    return f"{what}未写入：{why}；仓库中的数据不受影响，{again}"
