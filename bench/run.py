"""`make bench`: mubiao against a bare DuckDB script on the same synthetic zone, with the goals of issue 6.

In one run: generate the zone (cached in bench/zones/<size>/), time the
baseline (bench/baseline.py; best of three, after an untimed conversion of
the GBK and XLSX reports), time `mubiao run --inbox <zone> --warehouse <tmp>`
as a cold subprocess under /usr/bin/time -v (start-up, the meeting pack and
peak RSS included; the memory of all its processes sampled beside), then the same command again (the no-op rerun),
`mubiao --help`, and the monthly case (bench/monthly.py: the last month onto the others, against a Prefect server of
the bench's own and its hello-world flow, with and without `mubiao serve`). The figures are printed beside the goals,
issue 32's table last (bench/table.py), and saved to bench/zones/<size>/result.json; nothing is asserted.

Run:  python -m bench.run --size S
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from bench.backtest import backtest
from bench.backtest import report as report_backtest
from bench.generate import SIZES, bad_rows, generate
from bench.monthly import measure_monthly, report_monthly
from bench.table import report_issue_table

ZONES = Path(__file__).resolve().parent / "zones"
GIB = 2**30
TIME = Path("/usr/bin/time")
NOTHING_NEW = "收件箱中没有新文件"  # what `mubiao run` says when the inbox holds nothing new


def zone_for(size: str) -> Path:
    """The zone's folder, generated unless an identical one is cached there."""
    spec = SIZES[size]
    zone = ZONES / size
    stamp = zone / "spec.json"
    wanted = {**asdict(spec), "generator": _generator_digest()}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        print(f"zone {size}: cached in {zone}")
        return zone
    shutil.rmtree(zone, ignore_errors=True)
    seconds = generate(spec, zone / "inbox")
    stamp.write_text(json.dumps(wanted))
    print(f"zone {size}: generated in {seconds:.1f} s ({spec.files:,} monthly files, {spec.rows:,} rows) in {zone}")
    return zone


def _generator_digest() -> str:
    import hashlib

    return hashlib.sha256((Path(__file__).parent / "generate.py").read_bytes()).hexdigest()[:16]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }


def _mubiao() -> str:
    script = Path(sys.executable).with_name("mubiao")
    return str(script) if script.exists() else shutil.which("mubiao") or "mubiao"


class TreeMemory:
    """The peak, sampled every second, of the memory of a process and all its descendants (Linux PSS, so pages
    the processes share count once): the readers and Prefect's server too, which peak RSS leaves out."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._root, self._psutil, self.peak = psutil.Process(pid), psutil, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(1.0):  # PSS costs 20 ms for a 1 GB process (the kernel walks its pages)
            total = 0
            try:
                processes = [self._root, *self._root.children(recursive=True)]
            except self._psutil.Error:
                continue
            for process in processes:
                try:
                    total += process.memory_full_info().pss
                except self._psutil.Error:  # gone since listed
                    pass
                except AttributeError:  # no PSS on this system: no figure rather than a wrong one
                    self.peak = None
                    return
            self.peak = max(self.peak, total)

    def stop(self) -> float | None:
        self._done.set()
        self._thread.join()
        return None if self.peak is None else self.peak / GIB


def timed(command: list[str], log: Path, env: dict[str, str] | None = None) -> dict:
    """Wall time, exit code, peak RSS of the largest process and peak memory of all of them (GiB), of a cold
    subprocess (in `env`, else the bench's)."""
    stats = log.with_suffix(".time")
    prefix = [str(TIME), "-v", "-o", str(stats)] if TIME.exists() else []
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(prefix + command, stdout=out, stderr=subprocess.STDOUT, env=env or _env())
        memory = TreeMemory(process.pid)
        code = process.wait()
    seconds = time.perf_counter() - started
    tree = memory.stop()
    if prefix:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stats.read_text())
        rss = int(found[1]) * 1024 / GIB if found else None
    else:
        import resource

        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / GIB
    return {"seconds": seconds, "exit": code, "rss_gib": rss, "tree_gib": tree, "log": str(log)}


def baseline(zone: Path) -> dict:
    """Best of three runs of bench/baseline.py, each in its own process (its conversion is cached and untimed)."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-m", "bench.baseline", str(zone)],
            capture_output=True,
            text=True,
            check=True,
            env=_env(),
            cwd=Path(__file__).resolve().parent.parent,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def ledger(warehouse: Path) -> dict:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        files, loaded, quarantined = con.execute(
            "select count(*), sum(rows_loaded), sum(rows_quarantined) from audit.files"
        ).fetchone()
    return {"files": files, "rows_loaded": int(loaded or 0), "rows_quarantined": int(quarantined or 0)}


def measure(size: str, keep: bool) -> dict:
    zone = zone_for(size)
    spec = SIZES[size]
    result: dict = {"size": size, "files": spec.files, "rows": spec.rows, "bad_rows": len(bad_rows(spec))}
    print("baseline: converting GBK and XLSX reports (untimed), then timing read_csv + GROUP BY, best of 3 …")
    result["baseline"] = baseline(zone)
    work = Path(tempfile.mkdtemp(prefix=f"mubiao-bench-{size}-"))
    warehouse = work / "warehouse.duckdb"
    command = [_mubiao(), "run", "--inbox", str(zone / "inbox"), "--warehouse", str(warehouse)]
    print(f"mubiao run (cold process) into {warehouse} …")
    result["run"] = timed(command, work / "run.log")
    if result["run"]["exit"] == 0:
        result["ledger"] = ledger(warehouse)
        print("mubiao run again (no-op) …")
        result["noop"] = noop = timed(command, work / "noop.log")
        noop["nothing_new"] = NOTHING_NEW in Path(noop["log"]).read_text(errors="replace")
    result["help"] = [timed([_mubiao(), "--help"], work / f"help{i}.log")["seconds"] for i in range(3)]
    result["monthly"] = measure_monthly(spec, zone, _mubiao(), _env(), timed)
    print("backtest of 预计全年 (bench/backtest.py) …")
    result["backtest"] = backtest()
    (ZONES / size / "result.json").write_text(json.dumps(result, indent=2))
    if not keep:
        shutil.rmtree(work / "landing", ignore_errors=True)
    return result


def _verdict(value: float | None, goal: float) -> str:
    if value is None:
        return "n/a"
    return "met" if value <= goal else "NOT met"


def report(result: dict) -> None:
    """Print the zone's figures, the monthly ones, issue 6's goals, the backtest, and issue 32's table last."""
    _report_zone(result)
    if "monthly" in result:
        report_monthly(result["monthly"])
    _report_goals(result)
    if "backtest" in result:
        report_backtest(result["backtest"])
    if "monthly" in result:
        report_issue_table(result)


def _report_zone(result: dict) -> None:
    size, base, run, noop = result["size"], result["baseline"], result["run"], result.get("noop")
    ratio = run["seconds"] / base["seconds"]
    zone = f"{size}: {result['files']:,} monthly files, {result['rows']:,} indicator rows, {result['bad_rows']} bad"
    lines = [
        ("zone", f"{zone} rows generated"),
        (
            "baseline (DuckDB read_csv + GROUP BY)",
            f"{base['seconds']:.2f} s  (load {base['load_seconds']:.2f} s, "
            f"group {base['group_seconds']:.2f} s; {base['rows']:,} rows)",
        ),
        ("mubiao run (cold process)", f"{run['seconds']:.2f} s  (exit {run['exit']}; log {run['log']})"),
        ("ratio mubiao / baseline", f"{ratio:.1f}×"),
        (
            "rows per second",
            f"mubiao {result['rows'] / run['seconds']:,.0f}; baseline {result['rows'] / base['seconds']:,.0f}",
        ),
        ("peak RSS of mubiao run", "n/a" if run["rss_gib"] is None else f"{run['rss_gib']:.2f} GiB"),
        (
            "peak memory, all its processes (PSS)",
            "n/a" if run["tree_gib"] is None else f"{run['tree_gib']:.2f} GiB  (with the readers and Prefect's server)",
        ),
    ]
    if "ledger" in result:
        ledger_ = result["ledger"]
        lines.append(
            (
                "warehouse ledger",
                f"{ledger_['files']:,} files, {ledger_['rows_loaded']:,} rows loaded, "
                f"{ledger_['rows_quarantined']:,} quarantined "
                f"(expected {result['bad_rows']} indicator rows)",
            )
        )
    if noop:
        lines.append(
            (
                "no-op rerun",
                f"{noop['seconds']:.2f} s = {noop['seconds'] / run['seconds']:.0%} of the full "
                f"run (exit {noop['exit']}, peak RSS {noop['rss_gib']:.2f} GiB)",
            )
        )
    lines.append(("mubiao --help", f"first {result['help'][0]:.2f} s, best {min(result['help']):.2f} s"))
    width = max(len(k) for k, _ in lines)
    print()
    for key, value in lines:
        print(f"{key:<{width}}  {value}")


def _report_goals(result: dict) -> None:
    """Each goal of issue 6 (bench/README.md) beside the figure it is about, and whether it is met."""
    size, base, run = result["size"], result["baseline"], result["run"]
    noop = result.get("noop")
    ratio = run["seconds"] / base["seconds"]
    small = ZONES / "S" / "result.json"
    scale = None
    if size == "M" and small.exists():
        s = json.loads(small.read_text())
        scale = run["seconds"] / s["run"]["seconds"]
    at_m = size == "M"
    noop_share = noop["seconds"] / run["seconds"] if noop else None
    goals = [  # (goal, figure here or None, limit, figure as shown, the goal is set for this size)
        ("mubiao ≤ 4× baseline at S", ratio, 4, f"{ratio:.1f}×", size == "S"),
        ("mubiao ≤ 2× baseline at M", ratio, 2, f"{ratio:.1f}×", at_m),
        ("M/S ≤ 11× (linear)", scale, 11, "—" if scale is None else f"{scale:.1f}×", at_m),
        ("no-op rerun ≤ 10 % of full run at M", noop_share, 0.10, "—" if noop is None else f"{noop_share:.0%}", at_m),
        (
            "peak RSS ≤ 1.5 GiB at M (largest process)",
            run["rss_gib"],
            1.5,
            "—" if run["rss_gib"] is None else f"{run['rss_gib']:.2f} GiB",
            at_m,
        ),
        (
            "peak memory ≤ 1.5 GiB at M (all processes, PSS)",
            run["tree_gib"],
            1.5,
            "—" if run["tree_gib"] is None else f"{run['tree_gib']:.2f} GiB",
            at_m,
        ),
        ("mubiao --help ≤ 0.5 s", min(result["help"]), 0.5, f"{min(result['help']):.2f} s", True),
    ]
    print("\ngoals of issue 6, never asserted")
    width = max(len(g[0]) for g in goals)
    for name, value, limit, shown, applies in goals:
        verdict = _verdict(value, limit) + (
            "" if applies else f"  (goal set for {'S' if 'at S' in name else 'M'}; this is {size})"
        )
        print(f"  {name:<{width}}  {shown:>10}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--keep", action="store_true", help="keep the run's landing copies")
    args = parser.parse_args()
    report(measure(args.size, args.keep))


if __name__ == "__main__":
    main()
