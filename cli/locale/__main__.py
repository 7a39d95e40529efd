"""`python -m mubiao.cli.locale`: compile messages.po into messages.mo beside it."""

from mubiao.cli.locale import CATALOGUE, compile_mo, read_po

CATALOGUE.with_suffix(".mo").write_bytes(compile_mo(read_po(CATALOGUE.read_text(encoding="utf-8"))))
