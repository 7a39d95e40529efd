"""`python -m mubiao.locale`: compile messages.po into messages.mo beside it."""

from mubiao.locale import CATALOGUE, compile_mo, read_po

CATALOGUE.with_suffix(".mo").write_bytes(compile_mo(read_po(CATALOGUE.read_text(encoding="utf-8"))))
