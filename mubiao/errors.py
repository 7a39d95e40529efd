"""Errors a user can cause; the CLI prints their message as one line and exits non-zero."""


class MubiaoError(Exception):
    """A problem in plain words, e.g. 收件箱不存在：/path."""
