"""The CJK font of the pack: Noto Sans CJK SC from a pinned wheel, subset to the characters used, embedded."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

FAMILY = "Noto Sans CJK SC"


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


def subset_woff(text: str) -> bytes:
    """A WOFF font with the glyphs of every character in `text` (plus .notdef)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The face's own modified date, not the clock's: the same text makes the same bytes (report/pack_cache.py).
    font = TTFont(font_file(), fontNumber=face_index(), recalcBBoxes=False, recalcTimestamp=False)
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
