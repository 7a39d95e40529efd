"""Names from submissions are text on every page mubiao writes, never markup."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import INBOX

SCRIPT = "<script>alert(1)</script>"


def test_a_unit_name_and_a_file_name_are_escaped_in_the_pack_and_the_validation_pages(mubiao, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in INBOX.items():
        (inbox / name).write_text(text.replace("统计局", f"统计局{SCRIPT}"), encoding="utf-8")
    (inbox / "<img src=x onerror=alert(1)>.csv").write_text(
        "单位代码,指标代码,统计期,本期累计值,计量单位\nU9,GDP,2017-06,1,亿元\n", encoding="utf-8"
    )
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    mubiao("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    mubiao("docs", "--warehouse", str(warehouse))
    pages = [
        *(warehouse.parent / "report").rglob("report.html"),
        *(warehouse.parent / "gx" / "validation").rglob("*.html"),
    ]
    assert len(pages) >= 3
    text = "".join(page.read_text(encoding="utf-8") for page in pages)
    assert SCRIPT not in text and "<img src=x" not in text
    assert "统计局&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;.csv" in text
