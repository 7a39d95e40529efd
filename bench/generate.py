"""Write a synthetic zone for the benchmark: units × indicators × months, one file per unit per month.

Sizes (issue 6): `S` = 200 units × 100 indicators × 24 months (4,800 files,
480,000 indicator_values rows); `M` = 10 × S in units; `tiny` for the test.
Besides the monthly reports the zone has its reference files (单位名录,
指标目录, 年度目标, 重点项目计划), one project-progress file a month and a
receipt register (收文登记.csv). Monthly reports are 80 % UTF-8 CSV (some with
a BOM), 10 % GBK CSV and 10 % XLSX, with Chinese headers. About 0.1 % of the
rows are bad (at least three): an unknown unit, a number that does not parse,
or a month that does not exist; never more than one in a file.

Everything is a function of the size and the seed, so a zone is the same on
every machine; files are written by a pool of processes, one unit at a time.

Run:  python -m bench.generate --size S --out bench/zones/S/inbox
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import shutil
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from bench.files import csv_bytes, write_file

SEED = 20170211
FIRST_YEAR = 2016
BAD_SHARE = 0.001
HEADER = ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"]
VALUES_DIR = "指标月报"
REFERENCE_DIR = "基础资料"
PROGRESS_DIR = "项目进度"


@dataclass(frozen=True)
class Spec:
    units: int
    indicators: int
    months: int
    projects: int
    seed: int = SEED

    @property
    def files(self) -> int:
        return self.units * self.months

    @property
    def rows(self) -> int:
        return self.files * self.indicators


SIZES = {
    "tiny": Spec(units=5, indicators=4, months=3, projects=6),
    "S": Spec(units=200, indicators=100, months=24, projects=300),
    "M": Spec(units=2000, indicators=100, months=24, projects=3000),
}

# ---------------------------------------------------------------- reference data

_SYLLABLES = "东西南北中新文昌苏家宁郭阳庙安城河山湖桥"
_UNIT_TYPES = (
    ("BM", "区直部门", "局"),
    ("XZ", "乡镇街道", "街道"),
    ("XZ", "乡镇街道", "镇"),
    ("ZQ", "驻区机构", "分局"),
)
_INDICATOR_NAMES = [
    ("GDP", "生产总值", "亿元"),
    ("IND_VA", "规模以上工业增加值", "亿元"),
    ("FAI", "固定资产投资", "亿元"),
    ("RETAIL", "社会消费品零售总额", "亿元"),
    ("TRADE", "进出口总值", "万美元"),
    ("JOBS", "城镇新增就业", "人"),
    ("AFFOREST", "新增造林面积", "亩"),
    ("FIRMS", "规模以上工业企业数", "家"),
    ("GRAIN", "粮食总产量", "吨"),
    ("REVENUE", "一般公共预算收入", "亿元"),
    ("FDI", "实际利用外资", "万美元"),
    ("LABOR", "农村劳动力转移就业", "人"),
]
_MEASURES = ("亿元", "人", "万美元", "亩", "家", "吨")
_CATEGORIES = ("工业", "服务业", "城建", "基础设施", "社会事业", "农林水", "前期")
_WHOLE = {"人", "家"}


def _syllables(number: int) -> str:
    digits = [number % 20, number // 20 % 20] + ([number // 400] if number >= 400 else [])
    return "".join(_SYLLABLES[d % 20] for d in digits)


@lru_cache
def units(spec: Spec) -> list[tuple[str, str, str]]:
    """(unit_code, unit_name, unit_type): a tenth departments, most townships, the rest agencies."""
    rows = []
    for i in range(spec.units):
        prefix, unit_type, suffix = _UNIT_TYPES[0 if i % 10 == 0 else 3 if i % 10 == 9 else 1 + i % 2]
        rows.append((f"{prefix}{i + 1:04d}", f"{_syllables(i)}{suffix}", unit_type))
    return rows


@lru_cache
def indicators(spec: Spec) -> list[tuple[str, str, str, str, str]]:
    """(code, name, measure, aggregation, responsible unit); every third is `reported`, GDP first."""
    codes = [u[0] for u in units(spec)]
    rows = []
    for i in range(spec.indicators):
        if i < len(_INDICATOR_NAMES):
            code, name, measure = _INDICATOR_NAMES[i]
        else:
            code, name, measure = f"ZB{i:03d}", f"统计指标{i:03d}", _MEASURES[i % len(_MEASURES)]
        aggregation = "reported" if i % 3 == 0 else "sum"
        rows.append((code, name, measure, aggregation, codes[i % len(codes)]))
    return rows


@lru_cache
def months(spec: Spec) -> list[tuple[int, int]]:
    """Consecutive (year, month) from January of FIRST_YEAR."""
    return [(FIRST_YEAR + k // 12, k % 12 + 1) for k in range(spec.months)]


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    unit_code: str
    indicator_code: str
    year: int
    month: int
    value: Decimal
    """In the catalogue's measure, exactly as the file says it after conversion."""
    bad: str | None
    """Why the row must be quarantined (unknown_unit, bad_number, bad_period), or None."""


def _file_format(index: int) -> str:
    """Exactly one file in ten is XLSX and one GBK; one UTF-8 file in eight has a BOM."""
    slot = index * 3 % 10
    return {0: "xlsx", 1: "gbk", 2: "utf-8-sig"}.get(slot, "utf-8")


@lru_cache
def bad_rows(spec: Spec) -> dict[int, tuple[int, str]]:
    """File index → (row index, what is wrong with it): 0.1 % of rows, at least three, one a file at most."""
    count = min(spec.files, max(3, round(spec.rows * BAD_SHARE)))
    chosen = random.Random(f"{spec.seed}/bad").sample(range(spec.files), count)
    kinds = ("unknown_unit", "bad_number", "bad_period")
    return {file: (file * 7 % spec.indicators, kinds[k % 3]) for k, file in enumerate(sorted(chosen))}


def _period_text(year: int, month: int, rng: random.Random) -> str:
    forms = [f"{year}-{month:02d}", f"{year}年{month}月"] + ([f"{year}年1-{month}月"] if month > 1 else [])
    if month == 6:
        forms += [f"{year}年上半年", f"{year}H1"]
    if month == 12:
        forms += [f"{year}年全年", f"{year}年"]
    if month in (3, 9):
        forms.append(f"{year}年前三季度" if month == 9 else f"{year}年一季度")
    return rng.choice(forms)


def _annual_bases(spec: Spec, unit: str) -> list[tuple[float, float]]:
    """(annual value in FIRST_YEAR, yearly growth %) of each indicator for one unit."""
    out = []
    for code, *_ in indicators(spec):
        rng = random.Random(f"{spec.seed}/{unit}/{code}")
        out.append((rng.lognormvariate(4, 1.2), rng.uniform(-4, 14)))
    return out


SEASON = (0.06, 0.05, 0.08, 0.08, 0.085, 0.095, 0.08, 0.08, 0.085, 0.085, 0.09, 0.13)
"""Each month's share of a year, as Chinese monthly statistics run: a slow January and February (the Spring
Festival), a busy June and a December that closes the year."""
SEASON_NOISE = 0.25
"""How far one year's month may stray from SEASON for one unit and indicator (± this share of the month)."""


@lru_cache(maxsize=65536)
def _year_to_date_shares(seed: int, unit: str, code: str, year: int) -> tuple[float, ...]:
    """The share of the year reached by the end of each month: SEASON, each month scaled by a fixed-seed factor
    for this unit, indicator and year, then summed up to 1 at December."""
    rng = random.Random(f"{seed}/{unit}/{code}/{year}/season")
    weights = [w * (1 + rng.uniform(-SEASON_NOISE, SEASON_NOISE)) for w in SEASON]
    total, running, shares = sum(weights), 0.0, []
    for w in weights:
        running += w
        shares.append(running / total)
    return tuple(shares)


def _cumulative(base: float, growth: float, year: int, month: int, measure: str, share: float) -> Decimal:
    value = base * (1 + growth / 100) ** (year - FIRST_YEAR) * share
    return Decimal(round(value)) if measure in _WHOLE else Decimal(f"{value:.2f}")


def unit_file(
    spec: Spec, unit_index: int, month_index: int, bases: list[tuple[float, float]] | None = None
) -> tuple[str, str, list[list], list[Value]]:
    """One monthly report: (path under the inbox, format, rows as written, the values they stand for)."""
    unit_code = units(spec)[unit_index][0]
    year, month = months(spec)[month_index]
    index = unit_index * spec.months + month_index
    rng = random.Random(f"{spec.seed}/{unit_code}/{year}-{month}")
    bases = bases or _annual_bases(spec, unit_code)
    bad = bad_rows(spec).get(index)
    period = _period_text(year, month, rng)
    in_wan = rng.random() < 0.2  # this unit sends money in 万元 this month
    rows, values = [], []
    for i, (code, _, measure, aggregation, _) in enumerate(indicators(spec)):
        base, growth = bases[i]
        share = _year_to_date_shares(spec.seed, unit_code, code, year)[month - 1]
        value = _cumulative(base, growth, year, month, measure, share)
        sent_measure, sent = measure, value
        if measure == "亿元" and in_wan:
            sent_measure, sent = "万元", (value * 10000).quantize(Decimal(1))
        text = f"{sent:,}" if sent >= 1000 and rng.random() < 0.3 else str(sent)
        yoy = f"{growth + rng.uniform(-0.5, 0.5):.1f}" if aggregation == "reported" and year > FIRST_YEAR else ""
        row = [unit_code, code, period, text, sent_measure, yoy, "模拟数据" if rng.random() < 0.05 else ""]
        what = None
        if bad and bad[0] == i:
            what = bad[1]
            if what == "unknown_unit":
                row[0] = f"WZ{unit_index + 1:04d}"
            elif what == "bad_number":
                row[3] = "待核"
            else:
                row[2] = f"{year}年13月"
        rows.append(row)
        values.append(Value(row[0], code, year, month, value, what))
    return unit_file_name(spec, unit_index, month_index), _file_format(index), rows, values


def all_values(spec: Spec):
    """Every indicator value row of the zone, in file order (for tests and checks)."""
    for u, (unit_code, _, _) in enumerate(units(spec)):
        bases = _annual_bases(spec, unit_code)
        for m in range(spec.months):
            yield from unit_file(spec, u, m, bases)[3]


# ---------------------------------------------------------------- writing


def _write_unit(job: tuple[Spec, Path, int]) -> int:
    spec, root, unit_index = job
    bases = _annual_bases(spec, units(spec)[unit_index][0])
    for m in range(spec.months):
        name, fmt, rows, _ = unit_file(spec, unit_index, m, bases)
        write_file(root, name, fmt, HEADER, rows, numeric={3, 5})
    return unit_index


def _targets(spec: Spec) -> list[list]:
    rows = []
    years = sorted({y for y, _ in months(spec)})
    for year in years:
        for i, (code, _, measure, aggregation, _unit) in enumerate(indicators(spec)[:30]):
            if measure in ("人", "亩") and aggregation == "sum":
                phrase = f"{1000 * (i + 1) * spec.units}{measure}以上"
            else:
                phrase = ("增长8%", "增长7%左右", "增长10%以上", "保持稳定", "与经济增长同步")[i % 5]
                phrase = "增长9%左右" if code == "GDP" else phrase
            rows.append([year, code, phrase, ""])
    return rows


def _projects(spec: Spec) -> tuple[list[list], dict[int, list[list]]]:
    """The register (one row per project and year) and the progress rows by month index."""
    codes = [u[0] for u in units(spec)]
    register, progress = [], {m: [] for m in range(spec.months)}
    plans = {}
    for p in range(spec.projects):
        rng = random.Random(f"{spec.seed}/project/{p}")
        category = _CATEGORIES[p % len(_CATEGORIES)]
        total = Decimal(rng.randint(500, 200000))  # 万元
        for year in sorted({y for y, _ in months(spec)}):
            plan = None if category == "前期" else (total * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal(1))
            plans[(p, year)] = (plan, rng.uniform(0.5, 1.2), rng.randint(1, 6))
            unit, planned = codes[p * 7 % len(codes)], "" if plan is None else str(plan)
            register.append(
                [year, f"{year}ZD{p + 1:04d}", f"重点项目{p + 1:04d}", category, "", unit, str(total), planned, "万元",
                 "", f"{year}-{plans[(p, year)][2]:02d}"]
            )  # fmt: skip
    for m, (year, month) in enumerate(months(spec)):
        for p in range(spec.projects):
            plan, pace, start = plans[(p, year)]
            if plan is None or month < start:
                continue
            done = min(plan * Decimal(f"{pace * (month - start + 1) / (13 - start):.4f}"), plan)
            status = "竣工" if done >= plan else "已开工"
            progress[m].append(
                [
                    f"{year}ZD{p + 1:04d}",
                    f"{year}-{month:02d}",
                    str(done.quantize(Decimal(1))),
                    "万元",
                    status,
                    f"{year}-{start:02d}-15",
                    "",
                ]
            )
    return register, progress


def _write_references(spec: Spec, root: Path) -> list[tuple[str, dt.datetime]]:
    """The unit register, the catalogue, the targets and the project plan; the files with when they came."""
    start = dt.datetime(FIRST_YEAR, 1, 3, 9, 0)
    ref = REFERENCE_DIR
    write_file(
        root, f"{ref}/单位名录.csv", "utf-8-sig", ["单位代码", "单位名称", "单位类型"], [list(u) for u in units(spec)]
    )
    write_file(
        root,
        f"{ref}/指标目录.xlsx",
        "xlsx",
        ["指标代码", "指标名称", "计量单位", "汇总方式", "责任单位", "报送频率", "填报范围"],
        [[*i, "", ""] for i in indicators(spec)],
    )
    write_file(root, f"{ref}/年度目标.csv", "gbk", ["年度", "指标代码", "目标", "责任单位"], _targets(spec))
    register, progress = _projects(spec)
    header = ["年度", "项目编号", "项目名称", "项目类别", "建设单位", "责任单位", "计划总投资", "年度计划投资",
              "计量单位", "批次", "计划开工"]  # fmt: skip
    write_file(root, f"{ref}/重点项目计划.xlsx", "xlsx", header, register, numeric={0, 6, 7})
    received = [
        (f"{ref}/单位名录.csv", start),
        (f"{ref}/指标目录.xlsx", start + dt.timedelta(minutes=10)),
        (f"{ref}/年度目标.csv", start + dt.timedelta(minutes=20)),
        (f"{ref}/重点项目计划.xlsx", start + dt.timedelta(minutes=30)),
    ]
    return received + _write_progress(spec, root, progress)


def _write_progress(spec: Spec, root: Path, progress: dict[int, list[list]]) -> list[tuple[str, dt.datetime]]:
    """A project-progress file a month, each received two days before it is due."""
    received = []
    for m, (year, month) in enumerate(months(spec)):
        name = f"{PROGRESS_DIR}/{year}年{month:02d}月_项目进度.csv"
        write_file(
            root,
            name,
            "utf-8",
            ["项目编号", "统计期", "本年累计完成投资", "计量单位", "项目状态", "实际开工日期", "备注"],
            progress[m],
        )
        received.append((name, _due(year, month) - dt.timedelta(days=2)))
    return received


def _due(year: int, month: int) -> dt.datetime:
    return dt.datetime(year + month // 12, month % 12 + 1, 5, 9, 0)


def _write_register(spec: Spec, root: Path, received: list[tuple[str, dt.datetime]]) -> None:
    """收文登记.csv: monthly reports arrive on the 3rd of the next month, a minute apart."""
    for u in range(spec.units):
        for m, (year, month) in enumerate(months(spec)):
            name = unit_file_name(spec, u, m)
            received.append((name, _due(year, month) - dt.timedelta(days=2) + dt.timedelta(seconds=7 * u)))
    rows = [[name, at.strftime("%Y-%m-%d %H:%M:%S")] for name, at in sorted(received, key=lambda r: (r[1], r[0]))]
    (root / "收文登记.csv").write_bytes(csv_bytes(["文件名", "收文时间"], rows, "utf-8-sig"))


def unit_file_name(spec: Spec, unit_index: int, month_index: int) -> str:
    unit_code, unit_name, _ = units(spec)[unit_index]
    year, month = months(spec)[month_index]
    suffix = ".xlsx" if _file_format(unit_index * spec.months + month_index) == "xlsx" else ".csv"
    return f"{VALUES_DIR}/{year}年{month:02d}月/{year}年{month:02d}月_{unit_code}_{unit_name}_月报{suffix}"


def generate(spec: Spec, root: Path, processes: int | None = None) -> float:
    """Write the zone into `root` (emptied first); returns the seconds it took."""
    started = time.perf_counter()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    received = _write_references(spec, root)
    jobs = [(spec, root, u) for u in range(spec.units)]
    processes = processes or min(multiprocessing.cpu_count(), 8)
    if processes == 1 or spec.units < 20:
        for job in jobs:
            _write_unit(job)
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for _ in pool.imap_unordered(_write_unit, jobs, chunksize=4):
                pass
    _write_register(spec, root, received)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, required=True, help="the inbox folder to write (emptied first)")
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args()
    spec = SIZES[args.size]
    seconds = generate(spec, args.out, args.processes)
    print(
        f"{args.size}: {spec.files:,} monthly files, {spec.rows:,} rows, {len(bad_rows(spec))} bad, "
        f"written in {seconds:.1f} s to {args.out}"
    )


if __name__ == "__main__":
    main()
