"""The baseline: what an analyst with a DuckDB shell would do with the same monthly reports.

Untimed: the GBK CSV and XLSX reports are converted to UTF-8 CSV (DuckDB's
GBK and Excel readers are extensions, not available offline), into a folder
beside the inbox. Timed: one `read_csv` of every report into one table with
explicit columns, then one GROUP BY giving the zone total per indicator and
month (periods read with a regular expression, 万元 turned into 亿元). No
validation, no quarantine, no history, no marts.

Run:  python -m bench.baseline bench/zones/S     (prints a JSON line)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import time
from pathlib import Path

import duckdb

from bench.generate import HEADER, VALUES_DIR

COLUMNS = {name: "VARCHAR" for name in HEADER}

LOAD = """
create table submissions as
select * from read_csv(?, header = true, columns = {columns}, delim = ',', quote = '"', auto_detect = false)
"""

TOTALS = """
create table zone_totals as
with typed as (
    select
        指标代码 as indicator_code,
        cast(regexp_extract(统计期, '(\\d{4})', 1) as integer) as year,
        case
            when 统计期 like '%上半年' or 统计期 like '%H1' then 6
            when 统计期 like '%一季度' then 3
            when 统计期 like '%前三季度' then 9
            when 统计期 like '%全年' or regexp_full_match(统计期, '\\d{4}年?') then 12
            else try_cast(regexp_extract(统计期, '(\\d{1,2})月?$', 1) as integer)
        end as month,
        try_cast(replace(本期累计值, ',', '') as double)
            * case 计量单位 when '万元' then 0.0001 else 1 end as value
    from submissions
)
select indicator_code, year, month, sum(value) as total, count(*) as units
from typed
group by all
"""


def _xlsx_rows(path: Path) -> list[list[str]]:
    import fastexcel

    sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
    columns = sheet.to_arrow().to_pydict().values()
    return [["" if cell is None else cell for cell in row] for row in zip(*columns, strict=True)]


def prepare(zone: Path) -> list[Path]:
    """UTF-8 CSV copies of the GBK and XLSX reports (cached in <zone>/utf8); the list of every report to read."""
    inbox, converted = zone / "inbox" / VALUES_DIR, zone / "utf8"
    done = converted / ".complete"
    files = []
    for path in sorted(inbox.rglob("*")):
        if not path.is_file():
            continue
        target = converted / path.relative_to(inbox).with_suffix(".csv")
        if path.suffix == ".xlsx":
            if not done.exists():
                buf = io.StringIO()
                csv.writer(buf).writerows(_xlsx_rows(path))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(buf.getvalue(), encoding="utf-8")
            files.append(target)
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            files.append(path)
        except UnicodeDecodeError:
            if not done.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(data.decode("gb18030"), encoding="utf-8")
            files.append(target)
    converted.mkdir(parents=True, exist_ok=True)
    done.touch()
    return files


def reset(zone: Path) -> None:
    shutil.rmtree(zone / "utf8", ignore_errors=True)


def run(files: list[Path]) -> dict:
    """Time the load and the GROUP BY in a fresh in-memory DuckDB."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        LOAD.format(columns=json.dumps(COLUMNS, ensure_ascii=False).replace('"', "'")), [[str(f) for f in files]]
    )
    loaded = time.perf_counter()
    con.execute(TOTALS)
    finished = time.perf_counter()
    rows = con.execute("select count(*) from submissions").fetchone()[0]
    totals = con.execute("select count(*) from zone_totals").fetchone()[0]
    con.close()
    return {
        "seconds": finished - started,
        "load_seconds": loaded - started,
        "group_seconds": finished - loaded,
        "rows": rows,
        "totals": totals,
        "files": len(files),
    }


def main() -> None:
    zone = Path(sys.argv[1])
    files = prepare(zone)
    print(json.dumps(run(files)))


if __name__ == "__main__":
    main()
