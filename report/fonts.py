"""The CJK font of the pack: Noto Sans CJK SC from a pinned wheel, subset to the characters used, embedded."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

FAMILY = "Noto Sans CJK SC"
_READ_AHEAD: list = []
"""The face read ahead (`read_ahead`), which the next subset takes."""


def font_file() -> str:
    """The Noto Sans CJK collection (.ttc) that the `noto-cjk-sans-otc` wheel carries."""
    import noto_cjk_sans_otc

    return str(noto_cjk_sans_otc.FONT_PATH)


@lru_cache(maxsize=1)
def face_index() -> int:
    """The index of the Simplified Chinese face within the collection."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(font_file(), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == FAMILY:
            return index
    raise LookupError(f"{FAMILY} not in {font_file()}")


def read_ahead() -> None:
    """The face opened and every table of it read, for the next subset to take: a cold command does it while its
    server boots (cli/startup.py), and the subset then takes 0.24 s instead of 0.44 s, with the same bytes. The
    tables hold about 80 MB until then."""
    font = _face()
    tables = font.keys()  # a list of the tags: the TTFont is no mapping to iterate
    for tag in tables:
        font[tag]
    _READ_AHEAD[:] = [font]


def _face():
    from fontTools.ttLib import TTFont

    # The face's own modified date, not the clock's: the same text makes the same bytes (report/pack_cache.py).
    return TTFont(font_file(), fontNumber=face_index(), recalcBBoxes=False, recalcTimestamp=False)


def subset_woff(text: str) -> bytes:
    """A WOFF font with the glyphs of every character in `text` (plus .notdef), from the face read ahead if there
    is one (the subset changes the face it is given)."""
    from fontTools import subset

    font = _READ_AHEAD.pop() if _READ_AHEAD else _face()
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def font_face_css(text: str) -> str:
    """An @font-face rule carrying the subset font inline, so the page needs no system font."""
    data = base64.b64encode(subset_woff(text)).decode("ascii")
    return f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/woff;base64,{data}) format("woff"); }}'
