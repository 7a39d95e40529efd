"""The bundled default zone (焦作市城乡一体化示范区): the submissions in `default_zone/`, shipped as package data.

`generator/` writes them and is not part of the package (SOURCES.md says where each figure comes from).
"""

from importlib import resources
from pathlib import Path


def default_zone() -> Path:
    """The folder of the bundled submissions, wherever the package is installed."""
    return Path(str(resources.files(__package__).joinpath("default_zone")))
