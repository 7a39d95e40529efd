"""Where the command writes: results on stdout, messages on stderr."""

from rich.console import Console

console = Console()
err = Console(stderr=True, soft_wrap=True)  # a message stays one line, also in a log file or a pipe
