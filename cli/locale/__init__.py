"""Chinese for the words click and typer print around mubiao's own (usage errors, help headings).

click and typer take their words from gettext's `messages` domain; `use_chinese` points that domain at
the catalogue here, compiled from messages.po by `python -m mubiao.cli.locale` (polib's msgfmt).
"""

from __future__ import annotations

import gettext
import os
import tempfile
from importlib import resources
from pathlib import Path

LOCALE_DIR = Path(str(resources.files(__package__)))
CATALOGUE = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po"


def use_chinese() -> None:
    """click's and typer's words in Chinese, unless the user's LANGUAGE asks for another language.

    Call it before typer is imported: typer fixes its help headings when it is.
    """
    os.environ.setdefault("LANGUAGE", "zh_CN")
    gettext.bindtextdomain("messages", str(LOCALE_DIR))
    gettext.textdomain("messages")


def compiled(catalogue: Path = CATALOGUE) -> bytes:
    """The GNU .mo file of the .po `catalogue`, as polib writes it (imported here: every command starts with
    `use_chinese`, and only the catalogue's upkeep needs polib)."""
    import polib

    with tempfile.TemporaryDirectory() as folder:
        mo = Path(folder) / "messages.mo"
        polib.pofile(str(catalogue)).save_as_mofile(str(mo))
        return mo.read_bytes()
