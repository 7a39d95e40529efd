"""A CSV file's text from its bytes, and the error of a file that cannot be read: kept apart from
file_reading.py, whose readers bring pyarrow and pandas, so that reading the receipt register does not."""

from __future__ import annotations

import re


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is one line for the office."""


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _mixed_encodings(data: bytes) -> bool:
    """Some lines are UTF-8 Chinese and others are not UTF-8: two encodings pasted into one file.

    A GBK line can pass for UTF-8 by chance (元 is D4 AA, UTF-8 for Ԫ), never for UTF-8 Chinese.
    """
    found = set()
    for line in data.split(b"\n"):
        if not line.isascii():
            try:
                if _HAN.search(line.decode("utf-8")):
                    found.add("utf-8")
            except UnicodeDecodeError:
                found.add("other")
            if len(found) == 2:
                return True
    return False


def decode(data: bytes) -> str:
    """Text of a CSV file, the encoding told by its bytes: UTF-8 (BOM or not), else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise UnreadableFile("文件以 UTF-8 标记（BOM）开头，内容却不是 UTF-8（可能混入了 GBK）") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mixed_encodings(data):
        raise UnreadableFile("文件混用了多种编码（部分行是 UTF-8，部分不是），请统一存为 UTF-8 或 GBK")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnreadableFile("文件编码无法识别（应为 UTF-8 或 GBK）") from None
        return str(best)
