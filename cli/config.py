"""Where things are by default; read when a command runs, never at import."""

from __future__ import annotations

from pathlib import Path

from mubiao.data import default_zone
from mubiao.foundation.settings import read_settings


def default_inbox() -> Path:
    """The bundled default zone (焦作市城乡一体化示范区), shipped as the package's data."""
    return default_zone()


def default_warehouse() -> Path:
    """$MUBIAO_WAREHOUSE, else mubiao-data/warehouse.duckdb under the current folder."""
    return read_settings().warehouse
