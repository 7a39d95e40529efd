"""Input size limits for submission files (memory stays bounded on hostile files).

Each limit has a default and an environment variable, read when a run reads its
files, never at import. The README's "Limits and safety" lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 100
    """A file larger than this is refused before it is read (MUBIAO_MAX_FILE_MB)."""
    max_unpacked_mb: int = 256
    """An XLSX whose parts unpack to more than this is refused (MUBIAO_MAX_UNPACKED_MB)."""
    max_line_kb: int = 1024
    """A CSV line longer than this is refused while scanning, never read whole (MUBIAO_MAX_LINE_KB)."""
    max_columns: int = 1000
    """A row with more cells than this (MUBIAO_MAX_COLUMNS)."""
    max_cell_chars: int = 32767
    """A cell longer than this, Excel's own cell limit (MUBIAO_MAX_CELL_CHARS)."""
    max_rows: int = 200_000
    """Data rows per file, or per sheet of an XLSX (MUBIAO_MAX_ROWS)."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, each overridden by its MUBIAO_<NAME> variable when set."""
        environ = os.environ if environ is None else environ
        values = {}
        for item in fields(cls):
            variable = f"MUBIAO_{item.name.upper()}"
            text = environ.get(variable, "").strip()
            if not text:
                continue
            if not text.isdigit() or int(text) == 0:
                raise ValueError(f"环境变量 {variable} 应为正整数，现为 '{text}'")
            values[item.name] = int(text)
        return cls(**values)
