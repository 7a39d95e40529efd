"""The table of issue 32, printed last by `make bench`: each of its figures from this run, its goal, and whether
it is met. A goal is set for one size (S or M) or for any; at another size the figure is shown all the same, and
the verdict says whose goal it is. Nothing is asserted."""

from __future__ import annotations

Row = tuple[str, str, str, str]  # figure, measured, goal, verdict


def _verdict(value: float | None, limit: float | None, at: str, size: str, failed: str | None = None) -> str:
    if failed:
        return failed
    if value is None:
        return "n/a"
    if limit is None:
        return "information"
    verdict = "met" if value <= limit else "NOT met"
    return verdict if at in ("any", size) else f"{verdict} (goal at {at}; this is {size})"


def _ratio(top: float, bottom: float) -> str:
    return f"{top:.2f} s / {bottom:.2f} s = {top / bottom:.2f}×"


def _failure(run: dict) -> str | None:
    return None if run.get("exit", 0) == 0 else f"failed (exit {run['exit']}; log {run['log']})"


def _floor_rows(monthly: dict, size: str) -> list[Row]:
    """The monthly run against the hello-world floor: with `mubiao serve` up, without a worker, and fully cold."""
    floor, worker, served, cold = (monthly[k] for k in ("floor", "monthly_worker", "monthly_served", "monthly_cold"))
    failed = _failure(worker) or (None if worker["through_worker"] else "did not go through the worker")
    return [
        ("monthly run / hello-world floor, with mubiao serve up (warm worker)", _ratio(worker["seconds"], floor),
         "≤ 1.5× at S", _verdict(worker["seconds"] / floor, 1.5, "S", size, failed)),
        ("monthly run / hello-world floor, at a running server, no worker", _ratio(served["seconds"], floor),
         "≤ 2× at S", _verdict(served["seconds"] / floor, 2, "S", size, _failure(served))),
        ("monthly run / hello-world floor, cold (the command's own server)", _ratio(cold["seconds"], floor), "—",
         _verdict(cold["seconds"] / floor, None, "any", size, _failure(cold))),
    ]  # fmt: skip


def _deployment_rows(monthly: dict, size: str) -> list[Row]:
    """A deployment run of `mubiao serve`: its own duration against the cold command, and from the trigger."""
    deployment, cold, floor = monthly["deployment"], monthly["monthly_cold"], monthly["floor"]
    failed = None if deployment["state"] == "COMPLETED" else f"{deployment['state']} (log {deployment['log']})"
    return [
        ("a deployment run (mubiao serve) / the same command, cold", _ratio(deployment["run"], cold["seconds"]),
         "≤ 0.5×", _verdict(deployment["run"] / cold["seconds"], 0.5, "any", size, failed or _failure(cold))),
        ("the same run, triggered as the UI's Run button does, watched to its end / hello-world",
         _ratio(deployment["wall"], floor), "≤ 1.5× at S", _verdict(deployment["wall"] / floor, 1.5, "S", size, failed)),
    ]  # fmt: skip


def issue_rows(result: dict) -> list[Row]:
    """The rows of issue 32's table, in its order."""
    size, monthly, noop = result["size"], result["monthly"], result.get("noop")
    alone, served, default = monthly["alone_served"], monthly["monthly_served"], monthly["default_cold"]
    over_alone = served["seconds"] / alone["seconds"]
    rows = _floor_rows(monthly, size)
    rows.append(("monthly run / the same month alone (at a running server)", _ratio(served["seconds"], alone["seconds"]),
                 "≤ 1.2× at M", _verdict(over_alone, 1.2, "M", size, _failure(served) or _failure(alone))))  # fmt: skip
    rows.append(("bundled default zone, cold", f"{default['seconds']:.2f} s", "≤ 5 s",
                 _verdict(default["seconds"], 5, "any", size, _failure(default))))  # fmt: skip
    if noop is None:  # the full run failed: nothing to rerun
        rows.append(("no-op rerun (the whole zone's command again, nothing new)", "—", "≤ 1 s at M", "n/a"))
    else:
        failed = _failure(noop) or (None if noop["nothing_new"] else "found something new: not a no-op")
        rows.append(("no-op rerun (the whole zone's command again, nothing new)", f"{noop['seconds']:.2f} s",
                     "≤ 1 s at M", _verdict(noop["seconds"], 1, "M", size, failed)))  # fmt: skip
    return rows + _deployment_rows(monthly, size)


def report_issue_table(result: dict) -> None:
    """Print the table of issue 32 for this run."""
    rows = [("figure", "measured", "goal", "verdict"), *issue_rows(result)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"\nissue 32, size {result['size']}: the floor measured in this run, nothing asserted")
    for i, row in enumerate(rows):
        print("  " + "  ".join(f"{cell:<{width}}" for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
        if i == 0:
            print("  " + "  ".join("-" * width for width in widths) + "  " + "-" * 7)
