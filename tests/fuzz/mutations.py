"""A seeded mutation fuzzer of submission files: malformed CSV and XLSX made from the submission kinds.

Every file's rows name a unit code and project codes that no register holds (FUZZ, FZ-…), so whatever a
mutation does, no row of it can change a registered unit's figures: a run of the bundled zone beside the
mutated files must give the marts of the zone alone. Names are neutral (fuzz-0001.csv), so no quarantined
row is attributed to a registered unit by its file's name.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable

VALUES_HEADER = ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"]
PROGRESS_HEADER = ["项目编号", "统计期", "本年累计完成投资", "计量单位", "项目状态", "实际开工日期", "备注"]
INDICATORS = ["GDP", "FAI", "REVENUE", "RETAIL", "URBAN_JOBS", "GRAIN", "FDI", "TRADE"]
NASTY = [
    "=1+1",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "#REF!",
    "#DIV/0!",
    "#N/A",
    "1e308",
    "-1e308",
    "99999999999999999999999",
    "NaN",
    "inf",
    "-5",
    "",
    " ",
    "\t",
    "０.５",
    "1,2,3",
    "2017-13",
    "1999-01",
    "2101-01",
    "2017年13月",
    "2017Q5",
    "全年",
    "亿元亿元",
    "万美元",
    "%",
    "\u202e反转",
    "x" * 40_000,
    "中" * 5_000,
    "\x00",
    "'",
    '"',
    "\r\n",
    "NULL",
    "None",
    "-0",
    "1e-400",
]
BASE_ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030"]


def base_rows(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """A header and 5–40 plausible rows of indicator values or project progress, for no registered unit."""
    if rng.random() < 0.6:
        rows = [
            [
                "FUZZ",
                rng.choice(INDICATORS),
                f"2017-{rng.randint(1, 12):02d}",
                f"{rng.uniform(0, 500):.2f}",
                rng.choice(["亿元", "万元", "人"]),
                f"{rng.uniform(-5, 15):.1f}",
                "模糊测试",
            ]
            for _ in range(rng.randint(5, 40))
        ]
        return list(VALUES_HEADER), rows
    rows = [
        [
            f"FZ-{rng.randint(1, 999):03d}",
            f"2017年{rng.randint(1, 12)}月",
            f"{rng.uniform(0, 5):.3f}",
            "亿元",
            rng.choice(["未开工", "已开工", "竣工", "投产"]),
            "2017-03-01",
            "",
        ]
        for _ in range(rng.randint(5, 40))
    ]
    return list(PROGRESS_HEADER), rows


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return text.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(header: list[str], rows: list[list[object]], formulas: bool = False) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    if formulas:
        book.active.append(["FUZZ", "GDP", "2017-01", "=SUM(1,2)", "亿元", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return _rezip(
        buffer.getvalue(),
        lambda name, part: (
            re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"2017-01-01T00:00:00Z", part) if name == "docProps/core.xml" else part
        ),
    )  # the same bytes for the same seed, whenever made


# --- mutations of a table, then written as CSV or XLSX --------------------------------------------------


def shuffle_columns(rng, header, rows):
    order = rng.sample(range(len(header)), len(header))
    return [header[i] for i in order], [[_cell(row, i) for i in order] for row in rows]


def delete_column(rng, header, rows):
    gone = rng.randrange(len(header))
    return [h for i, h in enumerate(header) if i != gone], [[c for i, c in enumerate(r) if i != gone] for r in rows]


def duplicate_column(rng, header, rows):
    twice = rng.randrange(len(header))
    return header + [header[twice]], [row + [_cell(row, twice)] for row in rows]


def _cell(row: list[str], at: int) -> str:
    return row[at] if at < len(row) else ""


def duplicate_rows(rng, header, rows):
    return header, rows + rng.sample(rows, k=min(len(rows), rng.randint(1, 5)))


def header_typo(rng, header, rows):
    header = list(header)
    at = rng.randrange(len(header))
    word = header[at]
    cut = rng.randrange(len(word))
    header[at] = word[:cut] + rng.choice(["", "　", "x", "报", word[cut]]) + word[cut + 1 :]
    return header, rows


def nasty_cells(rng, header, rows):
    rows = [list(row) for row in rows]
    for _ in range(rng.randint(1, 10)):
        row = rng.choice(rows)
        if row:
            row[rng.randrange(len(row))] = rng.choice(NASTY)
    return header, rows


def ragged_rows(rng, header, rows):
    return header, [row[: rng.randint(0, len(row))] + ["多余"] * rng.randint(0, 3) for row in rows]


TABLE_MUTATIONS: list[Callable] = [
    shuffle_columns,
    delete_column,
    duplicate_column,
    duplicate_rows,
    header_typo,
    nasty_cells,
    ragged_rows,
]


# --- mutations of a file's bytes --------------------------------------------------------------------


def flip_bytes(rng, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncate(rng, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def nul_bytes(rng, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" * rng.randint(1, 64) + data[at:]


def swap_encoding(rng, data: bytes) -> bytes:
    """Text re-encoded as another encoding says, or two encodings pasted together."""
    text = data.decode("utf-8", errors="replace")
    choice = rng.choice(["utf-16", "utf-16-le", "gbk", "utf-8-sig", "mixed", "bom-then-gbk"])
    if choice == "mixed":
        half = len(text) // 2
        return text[:half].encode("utf-8") + text[half:].encode("gbk", errors="replace")
    if choice == "bom-then-gbk":
        return codecs.BOM_UTF8 + text.encode("gbk", errors="replace")
    return text.encode(choice, errors="replace")


BYTE_MUTATIONS: list[Callable] = [flip_bytes, truncate, nul_bytes, swap_encoding]


# --- mutations of a workbook's insides --------------------------------------------------------------


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as target:
        for name in source.namelist():
            changed = change(name, source.read(name))
            if changed is not None:
                target.writestr(zipfile.ZipInfo(name, date_time=(2017, 1, 1, 0, 0, 0)), changed, method)
    return out.getvalue()


def corrupt_sheet_xml(rng, data: bytes) -> bytes:
    def change(name, part):
        if not name.startswith("xl/worksheets/"):
            return part
        at = rng.randrange(len(part))
        return part[:at] + rng.choice([b"<", b">", b"&", b"</c>", b'<c r="ZZZ999999">', b"\xff\xfe"]) + part[at:]

    return _rezip(data, change)


def drop_part(rng, data: bytes) -> bytes:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    gone = rng.choice(names)
    return _rezip(data, lambda name, part: None if name == gone else part)


def corrupt_shared_strings(rng, data: bytes) -> bytes:
    def change(name, part):
        if name == "xl/sharedStrings.xml" or name.startswith("xl/worksheets/"):
            return part.replace(b"<v>", b"<v>9999", 1).replace(b't="inlineStr"', b't="s"', 1)
        return part

    return _rezip(data, change)


def break_directory(rng, data: bytes) -> bytes:
    end = data.rfind(b"PK\x05\x06")
    return data[:end] + flip_bytes(rng, data[end:]) if end > 0 else data[: -rng.randint(1, 200)]


def flip_in_deflate(rng, data: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = rng.choice([i for i in archive.infolist() if i.compress_size > 16])
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    at = start + rng.randrange(info.compress_size)
    data = bytearray(data)
    data[at] ^= 0xFF
    return bytes(data)


def error_cells(rng, data: bytes) -> bytes:
    """Cells of the value column as Excel saves error values (t="e", a cached #REF!)."""

    def change(name, part):
        if not name.startswith("xl/worksheets/"):
            return part
        error = rng.choice([b"#REF!", b"#DIV/0!", b"#N/A", b"#VALUE!", b"#NAME?"])
        return (
            part.replace(b'<c r="D3" t="n"><v>', b'<c r="D3" t="e"><f>1/0</f><v>' + error + b"</v><!--", 1).replace(
                b"</v></c>", b"--></c>", 1
            )
            if b'<c r="D3" t="n">' in part
            else part
        )

    return _rezip(data, change)


XLSX_MUTATIONS: list[Callable] = [
    corrupt_sheet_xml,
    drop_part,
    corrupt_shared_strings,
    break_directory,
    flip_in_deflate,
    error_cells,
    flip_bytes,
    truncate,
]


def mutated_files(seed: int, count: int) -> dict[str, bytes]:
    """`count` malformed files, name → bytes, the same for the same seed."""
    rng = random.Random(seed)
    files = {}
    for number in range(1, count + 1):
        header, rows = base_rows(rng)
        for mutation in rng.sample(TABLE_MUTATIONS, k=rng.randint(0, 2)):
            header, rows = mutation(rng, header, rows)
        as_xlsx = rng.random() < 0.45
        if as_xlsx:
            data = xlsx_bytes(header, [[_number_or_text(c) for c in row] for row in rows], formulas=rng.random() < 0.1)
            mutations = XLSX_MUTATIONS
        else:
            data = csv_bytes(header, rows, rng.choice(BASE_ENCODINGS))
            mutations = BYTE_MUTATIONS
        for mutation in rng.sample(mutations, k=rng.randint(0, 2)):
            if data:
                try:
                    data = mutation(rng, data)
                except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):  # an earlier one broke the archive
                    data = flip_bytes(rng, data)
        suffix = (".xlsx" if as_xlsx else ".csv") if rng.random() < 0.9 else rng.choice([".csv", ".xlsx", ".txt", ""])
        files[f"fuzz-{number:04d}{suffix}"] = data
    return files


def _number_or_text(cell: str) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ILLEGAL_CHARACTERS_RE.sub("", cell)
    try:
        return float(cell) if len(cell) < 30 else cell
    except ValueError:
        return cell
