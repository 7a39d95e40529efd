"""`mubiao sql` as a terminal user stops it: Ctrl-C in the shell and in a one-shot query, and `| head`.

Each runs the installed command in a process of its own; Ctrl-C is the SIGINT a terminal sends.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

RUNAWAY = "select max(md5(i::varchar)) from range(100000000000) t(i)"
"""A query that would run for hours, far past any deadline below."""
DEADLINE = 60
"""Seconds a step may take before the test gives up: the query stopped long before, or it never will."""
MUBIAO = str(Path(sys.executable).with_name("mubiao"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _interruptible() -> None:
    """In the child, before `mubiao` starts: SIGINT as a terminal delivers it. A test run started in the background
    (`make test &` from a script) has SIGINT ignored, which its children inherit; a Python started so never raises
    KeyboardInterrupt, and Ctrl-C would be tested on a process that cannot hear it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`mubiao` on a pseudo-terminal, as in a user's terminal window."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.fd, child = pty.openpty()
        env = dict(env or os.environ, COLUMNS="120", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
        self.process = subprocess.Popen(
            [MUBIAO, *args], stdin=child, stdout=child, stderr=child, env=env, preexec_fn=_interruptible
        )
        os.close(child)
        self.seen = ""

    def read_until(self, text: str) -> str:
        """Everything printed up to and including `text`; fails after DEADLINE seconds without it."""
        end = time.monotonic() + DEADLINE
        while text not in self.seen:
            assert time.monotonic() < end, f"no {text!r} within {DEADLINE} s: {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.seen += ANSI.sub("", os.read(self.fd, 65536).decode("utf-8", "replace"))
                except OSError:  # the command ended and closed the terminal
                    assert text in self.seen, f"ended without {text!r}: {self.seen[-2000:]!r}"
        found, self.seen = self.seen.split(text, 1)
        return found + text

    def read_to_end(self) -> str:
        """Everything printed until the command ends; fails after DEADLINE seconds."""
        self.process.wait(timeout=DEADLINE)
        while select.select([self.fd], [], [], 0.2)[0]:
            try:
                self.seen += ANSI.sub("", os.read(self.fd, 65536).decode("utf-8", "replace"))
            except OSError:
                break
        return self.seen

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self.fd)


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` holds `path` open (Linux's /proc)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return str(path.resolve()) in links


def test_ctrl_c_in_the_shell_cancels_the_query_and_the_shell_stays(warehouse):
    shell = Terminal("sql", "--warehouse", str(warehouse), "--timeout", "3600")
    try:
        shell.read_until("mubiao>")
        shell.type(RUNAWAY + ";")
        shell.read_until(RUNAWAY + ";")
        time.sleep(1)  # the query under way
        shell.process.send_signal(signal.SIGINT)
        assert "内部错误" not in shell.read_until("已取消查询")
        shell.type("select 42 as answer;")
        assert "42" in shell.read_until("1 行")
        shell.type(".quit")
        assert shell.process.wait(timeout=DEADLINE) == 0
    finally:
        shell.close()


def test_ctrl_c_stops_a_one_shot_query_with_one_line_and_130(warehouse):
    process = subprocess.Popen(
        [MUBIAO, "sql", RUNAWAY, "--warehouse", str(warehouse), "--timeout", "3600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        end = time.monotonic() + DEADLINE
        while not has_open(process.pid, warehouse):
            assert process.poll() is None and time.monotonic() < end, "the query never started"
            time.sleep(0.05)
        time.sleep(1)  # the query under way
        process.send_signal(signal.SIGINT)
        out, errors = process.communicate(timeout=DEADLINE)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130, errors
    assert errors.strip().splitlines() == ["已取消查询（Ctrl+C）"]
    assert out == ""


def test_a_reader_that_stops_reading_ends_the_output_quietly(warehouse):
    for output in ("table", "csv", "json"):
        process = subprocess.Popen(
            [MUBIAO, "sql", "select i, i * 2 as double from range(200000) t(i)", "-w", str(warehouse), "-f", output],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.readline()  # what `head -1` reads, before it closes the pipe
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert (process.wait(timeout=DEADLINE), errors) == (1, ""), output
