"""`python -m mubiao.cli.locale`: compile messages.po into messages.mo beside it."""

from mubiao.cli.locale import CATALOGUE, compiled

CATALOGUE.with_suffix(".mo").write_bytes(compiled())
