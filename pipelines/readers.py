"""Read a submission file into tables of text, one per sheet whose header matches a kind.

CONTRACT §2: CSV in UTF-8 (with or without BOM) or GBK/GB18030, recognised from
the bytes; XLSX, every sheet whose header row matches a kind. A title row or two
above the header is tolerated (offices like to put one there). Every cell stays
text here; typing is the normaliser's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipelines.kinds import Kind, detect_kind

HEADER_SEARCH_ROWS = 10
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_COLUMNS = {"period", "start_date", "planned_start"}


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is one line for the office."""


@dataclass
class Sheet:
    kind: Kind
    sheet: str | None
    table: pa.Table
    """Canonical columns as text, plus row_number (1 = first data row) and raw (JSON of the row as sent)."""


def decode(data: bytes) -> str:
    """Text of a CSV file, the encoding told by its bytes: UTF-8 (BOM or not), else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnreadableFile("文件编码无法识别（应为 UTF-8 或 GBK）") from None
        return str(best)


def _csv_rows(data: bytes) -> list[list[str | None]]:
    if b"\x00" in data[:4096]:
        raise UnreadableFile("不是文本文件（含二进制内容）")
    text = decode(data)
    try:
        return [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise UnreadableFile(f"CSV 格式错误：{error}") from None


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile("不是有效的 XLSX 文件（压缩包损坏）") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(f"XLSX 解压后 {unpacked // 2**20} MB，超过上限 {MAX_XLSX_UNPACKED_BYTES // 2**20} MB")


def _xlsx_sheets(path: Path) -> list[tuple[str, list[list[str | None]]]]:
    import fastexcel

    _check_zip(path)
    try:
        reader = fastexcel.read_excel(str(path))
        sheets = []
        for name in reader.sheet_names:
            table = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
            sheets.append((name, [list(row) for row in zip(*table.to_pydict().values())]))
        return sheets
    except Exception as error:  # calamine raises its own types for every broken workbook
        raise UnreadableFile(f"XLSX 无法读取：{str(error).splitlines()[0]}") from None


def _excel_date(text: str | None) -> str | None:
    """Excel hands dates as day serials or as midnight datetimes; give them back as ISO dates."""
    if text and text.isdigit() and 20000 < int(text) < 80000:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(text))).isoformat()
    if text and len(text) == 19 and text.endswith(" 00:00:00"):
        return text[:10]
    return text


def _find_header(rows: list[list[str | None]]) -> tuple[int, Kind, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = detect_kind(row)
        if found:
            return index, *found
    return None


def _to_sheet(rows: list[list[str | None]], sheet: str | None, excel: bool) -> Sheet | None:
    found = _find_header(rows)
    if found is None:
        return None
    header_index, kind, mapping = found
    header = [str(cell).strip() if cell is not None else f"列{i + 1}" for i, cell in enumerate(rows[header_index])]
    positions = {name: position for position, name in mapping.items()}
    columns: dict[str, list] = {name: [] for name in kind.column_names}
    row_numbers, raws = [], []
    for offset, row in enumerate(rows[header_index + 1:], start=1):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        row_numbers.append(offset)
        raws.append(json.dumps(dict(zip(header, row)), ensure_ascii=False))
        for name in kind.column_names:
            position = positions.get(name)
            cell = row[position] if position is not None and position < len(row) else None
            if excel and name in _DATE_COLUMNS:
                cell = _excel_date(cell)
            columns[name].append(cell)
    table = pa.table(
        {"row_number": pa.array(row_numbers, pa.int32()),
         **{name: pa.array(values, pa.string()) for name, values in columns.items()},
         "raw": pa.array(raws, pa.string())}
    )
    return Sheet(kind, sheet, table)


def read_submission(path: Path, file_name: str | None = None) -> list[Sheet]:
    """Every sheet of the file that matches a kind; UnreadableFile if there is none.

    The format is told by `file_name` (the name it was sent under), else by `path`.
    """
    suffix = Path(file_name or path.name).suffix.lower()
    if path.stat().st_size == 0:
        raise UnreadableFile("文件为空")
    if suffix in {".xlsx", ".xlsm"}:
        found = [_to_sheet(rows, name, excel=True) for name, rows in _xlsx_sheets(path)]
    elif suffix in {".csv", ".txt"}:
        found = [_to_sheet(_csv_rows(path.read_bytes()), None, excel=False)]
    else:
        raise UnreadableFile(f"不支持的文件类型：{suffix or '无扩展名'}（应为 CSV 或 XLSX）")
    sheets = [sheet for sheet in found if sheet is not None]
    if not sheets:
        raise UnreadableFile("表头不符合任何报送类型（单位、指标、指标数据、目标、项目、项目进度）")
    return sheets
