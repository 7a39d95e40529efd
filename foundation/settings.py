"""Every `MUBIAO_*` environment variable, its default and what it must be: one settings object.

Read when a command or a run needs it (`read_settings()`), never at import, and never written back: what a
process hands its children it passes in their environment explicitly (flows/served.py). The README's
"Limits and safety" lists the file limits (pipelines/parsers/limits.py). `kill_at` and `fault_*` are the test
hooks of foundation/checkpoints.py; the tests' own variables (the fuzzer's, the disk-fault shim's) stay theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import Field, PositiveInt, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.zone import DEFAULT_DUE_DAY

PREFIX = "MUBIAO_"
Seconds = Annotated[float, Field(ge=0)]


class Settings(BaseSettings):
    """The settings, each from its variable `MUBIAO_<NAME>` when that is set and not blank."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, frozen=True, extra="ignore")

    warehouse: Path = Path("mubiao-data") / "warehouse.duckdb"
    """The warehouse a command uses when none is named, relative to the current folder."""
    due_day: Annotated[int, Field(ge=1, le=28)] = DEFAULT_DUE_DAY
    settle_seconds: Seconds = 2.0
    """An inbox file changed this recently is landed once its size and time stop changing."""
    held_wait_seconds: Seconds = 10.0
    """How long a reader waits for a foreign read-write session to let go of the published warehouse."""
    max_file_mb: PositiveInt = 100
    """A file larger than this is refused before it is read (the limits bound memory on hostile files)."""
    max_unpacked_mb: PositiveInt = 256
    """An XLSX whose parts unpack to more than this is refused."""
    max_line_kb: PositiveInt = 1024
    """A CSV line longer than this is refused while scanning, never read whole."""
    max_columns: PositiveInt = 1000
    """A row with more cells than this."""
    max_cell_chars: PositiveInt = 32767
    """A cell longer than this, Excel's own cell limit."""
    max_rows: PositiveInt = 200_000
    """Data rows per file, or per sheet of an XLSX."""
    served_paths: dict[str, str] = {}
    """The inbox and warehouse `mubiao serve` was started with (JSON), in the environment of the runs it serves."""
    kill_at: str = ""
    fault_from: str = ""
    fault_until: str = ""


class BadSetting(MubiaoError, ValueError):
    """A `MUBIAO_*` variable whose value is not what its setting must be."""


_SHOULD_BE = {
    "due_day": "应为 1 到 28 之间的整数",
    "settle_seconds": "应为不小于 0 的秒数",
    "held_wait_seconds": "应为不小于 0 的秒数",
}


def read_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from this process's environment, or from `environ` alone; a bad value in one line."""
    try:
        if environ is None:
            return Settings()
        given = {
            name[len(PREFIX) :].lower(): value.strip() for name, value in environ.items() if name.startswith(PREFIX)
        }
        return Settings.model_validate({name: value for name, value in given.items() if value})
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0])
        should_be = _SHOULD_BE.get(name, "应为正整数")
        raise BadSetting(f"环境变量 {PREFIX}{name.upper()} {should_be}，现为 '{first['input']}'") from None
