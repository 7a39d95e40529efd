"""Chinese for the words click and typer print around mubiao's own (usage errors, help headings).

click and typer take their words from gettext's `messages` domain; `use_chinese` points that domain at
the catalogue here, compiled from messages.po by `python -m mubiao.cli.locale` (a plain msgfmt).
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
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


def read_po(text: str) -> dict[str, str]:
    """The entries of a .po file: msgid (with \\0 and its plural, if any) → msgstr (plural forms \\0-joined)."""
    entries: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    last = None

    def flush() -> None:
        if "msgid" in fields:
            key = "".join(fields["msgid"])
            if "msgid_plural" in fields:
                key += "\0" + "".join(fields["msgid_plural"])
            entries[key] = "\0".join("".join(v) for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        fields.clear()

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            fields[last].append(ast.literal_eval(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword == "msgid":
            flush()
        last = keyword
        fields[keyword] = [ast.literal_eval(value)]
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo file of `entries` (the format gettext reads: a header, two tables, then the strings)."""
    keys = sorted(entries)
    ids = [key.encode("utf-8") for key in keys]
    strs = [entries[key].encode("utf-8") for key in keys]
    start = 7 * 4 + 16 * len(keys)
    id_offsets, offset = [], start
    for data in ids:
        id_offsets += [len(data), offset]
        offset += len(data) + 1
    str_offsets = []
    for data in strs:
        str_offsets += [len(data), offset]
        offset += len(data) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return (
        header
        + struct.pack(f"<{len(id_offsets)}I", *id_offsets)
        + struct.pack(f"<{len(str_offsets)}I", *str_offsets)
        + b"".join(data + b"\0" for data in ids)
        + b"".join(data + b"\0" for data in strs)
    )
