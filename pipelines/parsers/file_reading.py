"""Read a submission file into its sheets of text rows, one per sheet whose header matches a kind.

docs/submissions.md §2: CSV in UTF-8 (with or without BOM) or GBK/GB18030, recognised from
the bytes; a workbook (XLSX, XLS, XLSB or ODS, all read by calamine through fastexcel), every sheet
whose header row matches a kind. A title row or two above the header is tolerated (offices like to
put one there). Every cell stays text here; typing is the normaliser's job.

Hostile files are refused with a one-line reason before or while they
are read, within the `Limits` of pipelines/parsers/limits.py: a file too large is not
opened, a CSV line too long is found by a bounded scan, a zipped workbook's parts are
unpacked with a budget and any DTD (an XML bomb's entities) is refused.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from itertools import chain, compress, count, islice
from pathlib import Path

from mubiao.foundation.kinds import Kind, detect_kind, nearest_kind
from mubiao.pipelines.parsers.excel_cells import error_rows, first_uncalculated, table_rows
from mubiao.pipelines.parsers.limits import Limits
from mubiao.pipelines.parsers.sheets import Sheet
from mubiao.pipelines.parsers.text import UnreadableFile, decode

HEADER_SEARCH_ROWS = 10
MB = 2**20
_CHUNK = MB
_ZIP_MAGIC = b"PK\x03\x04"
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
WORKBOOKS = {".xlsx": "XLSX", ".xlsm": "XLSX", ".xls": "XLS", ".xlsb": "XLSB", ".ods": "ODS"}
"""A workbook's format by its suffix; all but XLS (Excel 97–2003) are zip archives."""
CSV_SUFFIXES = {".csv", ".txt"}


def unexpected(error: Exception) -> str:
    """The one line recorded for a file whose reading failed in a way no reader foresaw."""
    detail = str(error).splitlines()[0] if str(error) else ""
    return f"文件无法读取（{type(error).__name__}{'：' + detail[:200] if detail else ''}），请检查文件后重新报送"


def _check_lines(path: Path, limits: Limits) -> None:
    """Scan the file a bounded line at a time: a line over the limit is refused without being read whole."""
    most = limits.max_line_kb * 1024
    if path.stat().st_size <= most:  # no line is longer than its file; the scan was a sixth of reading one
        return
    with path.open("rb") as stream:
        for number, line in enumerate(iter(lambda: stream.readline(most + 1), b""), start=1):
            if len(line) > most and not (len(line) == most + 1 and line.endswith(b"\n")):
                raise UnreadableFile(f"第 {number} 行超过 {limits.max_line_kb:,} KB 的上限（MUBIAO_MAX_LINE_KB）")


def _parsed_rows(text: str, limits: Limits, strict: bool) -> list[list[str]]:
    most = limits.max_rows + HEADER_SEARCH_ROWS
    rows = list(islice(csv.reader(io.StringIO(text), strict=strict), most + 1))
    if len(rows) > most:
        raise UnreadableFile(f"超过 {limits.max_rows:,} 行的上限（MUBIAO_MAX_ROWS）")
    return rows


def _csv_rows(path: Path, limits: Limits) -> list[list[str]]:
    """Rows of a CSV file; strict quoting first, so an unclosed quote is caught, else Python's tolerant reading."""
    _check_lines(path, limits)
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        raise UnreadableFile("文件扩展名是 .csv，内容却是 XLSX（压缩包），请改回 .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("文件是 UTF-16 编码（应为 UTF-8 或 GBK）")
    if b"\x00" in data:
        raise UnreadableFile("不是文本文件（含二进制内容）")
    text = decode(data)
    try:
        rows = _parsed_rows(text, limits, strict=True)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise UnreadableFile("CSV 引号不成对：有一个引号直到文件末尾都没有闭合") from None
        try:
            rows = _parsed_rows(text, limits, strict=False)
        except csv.Error as error:
            raise UnreadableFile(f"CSV 格式错误：{error}") from None
    if all(cell.strip() == "" for row in rows for cell in row):
        raise UnreadableFile("文件只有空白，没有内容")
    return rows


def _check_zip(path: Path, limits: Limits, form: str) -> bool:
    """Unpack every part with a budget, whatever sizes the archive declares; refuse any DTD (XML entities).

    Whether an XLSX worksheet holds a formula (`<f>`), told from the bytes unpacked for the budget anyway.
    """
    budget = limits.max_unpacked_mb * MB
    formulas = False
    too_big = UnreadableFile(f"{form} 解压后超过 {limits.max_unpacked_mb:,} MB 的上限（MUBIAO_MAX_UNPACKED_MB）")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > budget:
                raise too_big
            for info in archive.infolist():
                with archive.open(info) as part:
                    chunk, previous = part.read(4096), b""
                    if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in chunk.upper():
                        raise UnreadableFile(f"{form} 含有 DTD 实体声明（可能是 XML 炸弹），不予读取")
                    sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                    while chunk and budget >= 0:
                        budget -= len(chunk)
                        formulas = formulas or (sheet and _FORMULA.search(previous[-8:] + chunk) is not None)
                        previous, chunk = chunk, part.read(_CHUNK)
                if budget < 0:
                    raise too_big
        return formulas
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        raise UnreadableFile(_not_a_zip(path, form)) from None


def _not_a_zip(path: Path, form: str) -> str:
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(_ZIP_MAGIC) or b"\x00" in head:
        return f"不是有效的 {form} 文件（压缩包损坏）"
    return f"文件扩展名是 .{form.lower()}，内容却是文本（可能是改了扩展名的 CSV），请改回 .csv"


def _workbook_sheets(path: Path, form: str, limits: Limits) -> list[tuple[str, list[list[str]]]]:
    """Every sheet's rows as text, an Excel error value as its literal (#REF!)."""
    import fastexcel

    has_formulas = form != "XLS" and _check_zip(path, limits, form)
    most = limits.max_rows + HEADER_SEARCH_ROWS
    try:
        if has_formulas and (where := first_uncalculated(path)):
            raise UnreadableFile(f"单元格为公式但没有计算结果（{where}），请在 Excel 中打开、保存后重新报送")
        reader = fastexcel.read_excel(str(path))
        sheets = []
        for name in reader.sheet_names:
            table, errors = reader.load_sheet(
                name, header_row=None, dtypes="string", n_rows=most + 1
            ).to_arrow_with_errors()
            if table.num_rows > most:
                raise UnreadableFile(f"工作表「{name}」超过 {limits.max_rows:,} 行的上限（MUBIAO_MAX_ROWS）")
            sheets.append((name, error_rows(table_rows(table), errors)))
        return sheets
    except UnreadableFile:
        raise
    except Exception as error:  # calamine and openpyxl raise their own types for every broken workbook
        raise UnreadableFile(f"{form} 无法读取：{str(error).splitlines()[0]}") from None


def _find_header(rows: list[list[str]]) -> tuple[int, Kind, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = detect_kind(row)
        if found:
            return index, *found
    return None


def _check_shape(rows: list[list[str]], limits: Limits, text_bytes: int | None = None) -> None:
    """Every row within the column limit and every cell within the cell limit (the row found only when over).

    A CSV's cells are not measured when its `text_bytes` are within the cell limit: no cell is longer than its file.
    """
    widest = max(map(len, rows), default=0)
    longest = (
        0
        if text_bytes is not None and text_bytes <= limits.max_cell_chars
        else max(map(len, chain.from_iterable(rows)), default=0)
    )
    if widest <= limits.max_columns and longest <= limits.max_cell_chars:
        return
    for number, row in enumerate(rows, start=1):
        if len(row) > limits.max_columns:
            raise UnreadableFile(
                f"第 {number} 行有 {len(row):,} 列，超过 {limits.max_columns:,} 列的上限（MUBIAO_MAX_COLUMNS）"
            )
        if any(len(cell) > limits.max_cell_chars for cell in row):
            raise UnreadableFile(
                f"第 {number} 行有单元格超过 {limits.max_cell_chars:,} 字的上限（MUBIAO_MAX_CELL_CHARS）"
            )


def _unique(header: list[str]) -> list[str]:
    """Header names made unique (金额, 金额(2)), so a duplicated column keeps both values in raw."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}({seen[name]})")
    return names


def _to_sheet(rows: list[list[str]], sheet: str | None, excel: bool) -> Sheet | None:
    """The sheet's rows below its header; blank rows are left out, row numbers kept."""
    found = _find_header(rows)
    if found is None:
        return None
    header_index, kind, mapping = found
    header = _unique([cell.strip() if cell else f"列{i + 1}" for i, cell in enumerate(rows[header_index])])
    body = rows[header_index + 1 :]
    numbers = list(compress(count(1), map(str.strip, map("".join, body))))  # rows with a visible character
    data = body if len(numbers) == len(body) else [body[number - 1] for number in numbers]
    width = max(map(len, data), default=0)
    if width > len(header):
        header += [f"列{i + 1}" for i in range(len(header), width)]
    return Sheet(kind, sheet, header, mapping, data, numbers, excel)


def _no_header(tables: list[tuple[str | None, list[list[str]]]]) -> str:
    """Why no sheet has a kind's header: the required columns missing from the row nearest to one, and where it is;
    else that no row comes near."""
    near = []
    for sheet, rows in tables:
        for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            if found := nearest_kind(row):
                kind, known, missing = found
                near.append(((known, -len(missing), -number), kind, missing, sheet, number))
    if not near:
        return "表头不符合任何报送类型（单位、指标、指标数据、目标、项目、项目进度）"
    _, kind, missing, sheet, number = max(near, key=lambda candidate: candidate[0])
    where = f"工作表「{sheet}」第 {number} 行" if sheet else f"第 {number} 行"
    return f"表头缺少{kind.label}的必需列：{'、'.join(missing)}（{where}；表头须写在一行内，不要合并单元格）"


def _tables(path: Path, suffix: str, limits: Limits) -> list[tuple[str | None, list[list[str]]]]:
    if suffix in WORKBOOKS:
        return _workbook_sheets(path, WORKBOOKS[suffix], limits)
    if suffix in CSV_SUFFIXES:
        return [(None, _csv_rows(path, limits))]
    raise UnreadableFile(f"不支持的文件类型：{suffix or '无扩展名'}（应为 CSV、XLSX、XLS、XLSB 或 ODS）")


def read_submission(path: Path, file_name: str | None = None, limits: Limits | None = None) -> list[Sheet]:
    """Every sheet of the file that matches a kind; UnreadableFile if there is none.

    The format is told by `file_name` (the name it was sent under), else by `path`.
    `limits` defaults to `Limits.from_env()`.
    """
    limits = limits or Limits.from_env()
    suffix = Path(file_name or path.name).suffix.lower()
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("文件为空")
    if limits.refuses(size):
        raise UnreadableFile(f"文件 {size / MB:,.0f} MB，超过 {limits.max_file_mb:,} MB 的上限（MUBIAO_MAX_FILE_MB）")
    excel = suffix in WORKBOOKS
    tables = _tables(path, suffix, limits)
    found = []
    for name, rows in tables:
        _check_shape(rows, limits, None if excel else size)
        found.append(_to_sheet(rows, name, excel))
    sheets = [sheet for sheet in found if sheet is not None]
    if not sheets:
        raise UnreadableFile(_no_header(tables))
    if not any(sheet.rows for sheet in sheets):
        raise UnreadableFile("只有表头，没有数据行")
    return sheets
