"""How a command's failure reaches the user: one line on stderr and exit code 1, the traceback first with --debug.

Every command is a `GuardedCommand`, so that the commands say what they do and this says, once, how they fail.
A fault of the disk is the user's to fix, in the words of foundation/disk.py; anything else is our defect.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer
from typer._click.exceptions import ClickException  # typer's own copy of click, which it does not export

from mubiao.cli.consoles import err
from mubiao.cli.usage_errors import ChineseCommand
from mubiao.foundation.errors import MubiaoError


class GuardedCommand(ChineseCommand):
    """A command whose failures are one line (its `--debug` option, when given, prints the traceback first)."""

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except BrokenPipeError:
            # a reader that stops reading (`mubiao sql … | head`) ends the output quietly with exit code 1, as rich
            # and click do: standard output goes to /dev/null, so that nothing is left to fail at the exit's flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as error:
            if ctx.params.get("debug"):
                traceback.print_exc()
            err.print(one_line(error))
            raise typer.Exit(1) from None


def one_line(error: Exception) -> str:
    """What the user reads of `error`: its own words for a MubiaoError or a disk fault, else its type and first line."""
    from mubiao.foundation.disk import disk_fault

    if isinstance(error, MubiaoError):
        return f"[red]错误：[/]{error}"
    if fault := disk_fault(error):
        return f"[red]错误：[/]{fault}"
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"[red]内部错误：[/]{type(error).__name__}: {message}（加 --debug 查看详情）"
