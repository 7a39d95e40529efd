"""Errors a user can cause; the CLI prints their message as one line and exits non-zero."""

from pathlib import Path


class MubiaoError(Exception):
    """A problem in plain words, e.g. 收件箱不存在：/path."""


def require_warehouse(warehouse: Path) -> None:
    """Stop with the one message every command gives for a warehouse that has not been made yet."""
    if not warehouse.exists():
        raise MubiaoError(f"仓库文件不存在：{warehouse}（先运行 mubiao run）")
