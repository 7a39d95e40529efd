"""Where a warehouse's Data Docs lie, and what a killed build of them left: apart from validate.py, which brings
pandas, so that a run's start (warehouse/leftovers.py) and `mubiao docs` do not."""

from __future__ import annotations

import shutil
from pathlib import Path

SITE = "local_site"


def remove_half_built_docs(folder: Path) -> None:
    """What a run killed while building the Data Docs under `folder` left: its half-built pages, and the last run's,
    put back if they had been moved aside. Only under the writer lock."""
    site = data_docs_index(folder).parent
    shutil.rmtree(sidecar(site, ".building"), ignore_errors=True)
    if (replaced := sidecar(site, ".old")).exists():
        if site.exists():
            shutil.rmtree(replaced, ignore_errors=True)
        else:
            replaced.rename(site)


def sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def data_docs_index(folder: Path) -> Path:
    """Where the Data Docs of the runs of a warehouse in `folder` begin."""
    return folder / "gx" / "uncommitted" / "data_docs" / SITE / "index.html"
