"""What a load that died leaves beside the warehouse, removed before the next one writes anything.

A load that fails removes its own temporary files; one killed outright (SIGKILL, a power cut) cannot. Every
temporary file a load makes is made under the writer lock (warehouse/publish.py), so whoever holds it may
remove them: the private copy with its WAL and DuckDB's spill folder, half-landed copies, half-built Data Docs,
and the chunks of runs that are gone.
"""

from __future__ import annotations

from pathlib import Path

from mubiao.pipelines.intake.landing import landing_store, remove_partials
from mubiao.pipelines.intake.spill import remove_killed_spills
from mubiao.pipelines.loading.docs_site import remove_half_built_docs
from mubiao.warehouse.publish import discard_building, exclusive_if_free


def remove_leftovers(warehouse: Path) -> None:
    """Only with the writer lock held."""
    discard_building(warehouse)
    remove_partials(landing_store(warehouse))
    remove_half_built_docs(warehouse.parent)
    remove_killed_spills(warehouse)


def remove_leftovers_if_idle(warehouse: Path) -> None:
    """For a command that writes nothing: the leftovers, if no load is running; else only the killed runs' chunks."""
    with exclusive_if_free(warehouse) as free:
        if free:
            remove_leftovers(warehouse)
        else:
            remove_killed_spills(warehouse)
