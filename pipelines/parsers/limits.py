"""Input size limits for submission files (memory stays bounded on hostile files).

Their defaults and variables are the settings' (foundation/settings.py), read when a run reads its files, never
at import. The README's "Limits and safety" lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from mubiao.foundation.settings import read_settings


@dataclass(frozen=True)
class Limits:
    max_file_mb: int
    max_unpacked_mb: int
    max_line_kb: int
    max_columns: int
    max_cell_chars: int
    max_rows: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits of this process's settings, or of `environ` alone."""
        settings = read_settings(environ)
        return cls(**{item.name: getattr(settings, item.name) for item in fields(cls)})

    def refuses(self, size: int) -> bool:
        """Whether a file of `size` bytes is refused unread, as over MUBIAO_MAX_FILE_MB."""
        return size > self.max_file_mb * 2**20
