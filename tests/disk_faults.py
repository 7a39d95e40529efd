"""The `mubiao` command with a disk that fails on cue (tests/disk_faults.c), for tests/test_disk_faults.py.

A server process, started once with the shim loaded (LD_PRELOAD) and mubiao's modules, Prefect and GX imported,
forks a child per command: each child sets the fault in its environment, has the shim read it, and runs
`mubiao` as its `main()` would, its output in files. So each command is a process of its own, as a user's is,
without paying the imports' 5 s each time.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).with_name("disk_faults.c")


def compile_shim(folder: Path) -> Path:
    library = folder / "disk_faults.so"
    compiler = os.environ.get("CC", "gcc")  # `make test` installs gcc where it is missing
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", library, SOURCE, "-ldl"], check=True)
    return library


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


class FaultyMubiao:
    """Runs `mubiao` commands, each in a process of its own whose disk fails as its environment says."""

    def __init__(self, shim: Path, env: dict[str, str], output: Path) -> None:
        self.output = output
        """Where each command's stdout and stderr go: away from the folders whose disk fails."""
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.disk_faults"],
            cwd=Path(__file__).parent.parent,
            env={**env, "LD_PRELOAD": str(shim)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.server.stdout.readline().strip() == "ready"

    def run(self, args: list[str], fault: dict[str, str], cwd: Path) -> Done:
        out, err = self.output / "mubiao.out", self.output / "mubiao.err"
        request = {"args": args, "env": fault, "cwd": str(cwd), "out": str(out), "err": str(err)}
        self.server.stdin.write(json.dumps(request) + "\n")
        self.server.stdin.flush()
        code = int(self.server.stdout.readline())
        return Done(code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))

    def close(self) -> None:
        self.server.stdin.close()
        self.server.wait(timeout=60)


def _child(request: dict) -> None:
    """In the forked child: the fault, the folder and the output files of the request, then `mubiao`."""
    os.environ.update(request["env"])
    ctypes.CDLL(None).mubiao_fault_configure()
    os.chdir(request["cwd"])
    for descriptor, name in ((1, "out"), (2, "err")):
        handle = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, descriptor)
        os.close(handle)
    sys.argv = ["mubiao", *request["args"]]
    from mubiao.cli.main import main

    try:
        main()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def serve() -> None:
    import mubiao.cli.main  # noqa: F401
    from mubiao.cli.startup import flow_imported

    with flow_imported(gx=True):  # GX too: once here, not in each forked run
        pass
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        child = os.fork()
        if child == 0:
            try:
                _child(request)
            finally:
                os._exit(70)
        _, status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
