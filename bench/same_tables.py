"""Build the default, synthetic and tiny bench zones with this checkout's `mubiao`, and compare every table.

A refactoring must leave the warehouse as it was (issue 31). The zones are written once into a folder and
copied with their times for every build, so two checkouts run the same bytes with the same mtimes.

Run:  python -m bench.same_tables build ZONES OUT     (writes OUT/<zone>.pickle)
      python -m bench.same_tables compare BEFORE AFTER
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import contents

ZONES = ("default", "synthetic", "tiny")
FINGERPRINT = ("audit.builds", 2)
"""audit.builds' models_sha256 (its third column once built_at is left out) hashes the model files: any edit to
them changes it, and the build by month rightly starts again whole. It is the one value the code writes."""


def write_zones(zones: Path) -> None:
    """The three inboxes, each written once."""
    from bench.generate import SIZES, generate
    from mubiao.data import default_zone
    from tests.synthetic_zone import write_zone

    if not (zones / "default").exists():
        shutil.copytree(default_zone(), zones / "default")
    if not (zones / "synthetic").exists():
        write_zone(zones / "synthetic")
    if not (zones / "tiny").exists():
        generate(SIZES["tiny"], zones / "tiny")


def build(zones: Path, out: Path) -> None:
    write_zones(zones)
    out.mkdir(parents=True, exist_ok=True)
    for zone in ZONES:
        work = out / zone
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(zones / zone, work / "inbox")
        warehouse = work / "warehouse.duckdb"
        mubiao = Path(sys.executable).with_name("mubiao")
        subprocess.run([mubiao, "run", "--inbox", work / "inbox", "--warehouse", warehouse], check=True, cwd=work)
        found = contents(warehouse)
        table, column = FINGERPRINT
        found[table] = [row[:column] + row[column + 1 :] for row in found[table]]
        (out / f"{zone}.pickle").write_bytes(pickle.dumps(found))


def compare(before: Path, after: Path) -> int:
    differ = 0
    for zone in ZONES:
        old = pickle.loads((before / f"{zone}.pickle").read_bytes())
        new = pickle.loads((after / f"{zone}.pickle").read_bytes())
        same = [name for name in old if name in new and old[name] == new[name]]
        changed = [name for name in old if name in new and old[name] != new[name]]
        print(f"{zone}: {len(same)} of {len(old)} relations identical; differ: {changed or 'none'}")
        print(f"  gone: {sorted(set(old) - set(new)) or 'none'}; new: {sorted(set(new) - set(old)) or 'none'}")
        differ += len(changed) + len(set(old) - set(new))
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("build", "compare"))
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.action == "build":
        build(args.first, args.second)
    else:
        sys.exit(1 if compare(args.first, args.second) else 0)


if __name__ == "__main__":
    main()
