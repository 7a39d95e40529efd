"""`mubiao docs` writes the catalogue page: every table, column and comment, each model's lineage, sample rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from mubiao.warehouse.model_files import model_inputs
from tests.browser import ARTIFACTS, PageText, chromium
from tests.conftest import query
from tests.test_validation_pages import OUTSIDE, recording_proxy


@pytest.fixture(scope="module")
def catalogue(default_pack, mubiao_process, tmp_path_factory) -> tuple[Path, Path]:
    warehouse, _ = default_pack
    done = mubiao_process("docs", "--warehouse", str(warehouse), cwd=tmp_path_factory.mktemp("docs"))
    page = warehouse.parent / "catalogue.html"
    assert f"数据字典：{page}" in done.stdout.replace("\n", "")
    assert "校验报告：" in done.stdout, "the validation pages are still written"
    return warehouse, page


def test_every_table_column_and_comment_is_on_the_page(catalogue):
    warehouse, page = catalogue
    html = page.read_text(encoding="utf-8")
    columns = query(
        warehouse,
        """select schema_name || '.' || table_name as name, column_name, comment
        from duckdb_columns() where schema_name in ('staging', 'core', 'marts', 'audit')""",
    )
    assert len(columns) > 300
    for column in columns:
        assert f'id="{column["name"]}"' in html, column["name"]
        assert f"<td>{escape(column['comment'])}</td>" in html, column


def test_each_mart_shows_what_it_reads_and_the_sources_beneath(catalogue):
    _, page = catalogue
    html = page.read_text(encoding="utf-8")
    section = html[html.index('id="marts.unit_scorecard"') :]
    section = section[: section.index("</section>")]
    reads = section[section.index("直接读取") : section.index("数据来源")]
    sources = section[section.index("数据来源") : section.index("</dl>")]
    assert all(
        f'href="#{name}"' in reads
        for name in ("marts.target_completion", "core.project_month_states", "core.quarantine_rows", "core.units")
    )
    assert all(
        f'href="#{name}"' in sources
        for name in ("staging.targets", "staging.project_progress", "audit.quarantine", "audit.files")
    )
    assert not any(f'href="#{name}"' in sources for name in model_inputs()), "stored tables only"
    completion = html[html.index('id="marts.target_completion"') :]
    read_by = completion[completion.index("被读取于") : completion.index("</dl>")]
    assert 'href="#marts.unit_scorecard"' in read_by and 'href="#marts.target_completion_rounded"' in read_by


def test_sample_rows_are_the_tables_own(catalogue):
    warehouse, page = catalogue
    html = page.read_text(encoding="utf-8")
    section = html[html.index('id="marts.annual_review"') :]
    section = section[: section.index("</section>")]
    first = query(warehouse, "select * from marts.annual_review limit 1")[0]
    assert f"<td>{first['indicator_name']}</td>" in section and f"<td>{first['value']}</td>" in section


def test_the_page_renders_offline_with_nothing_fetched(catalogue, tmp_path):
    _, page = catalogue
    assert not OUTSIDE.search(page.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "catalogue.png"
    shot.unlink(missing_ok=True)
    with recording_proxy() as (proxy, asked):
        chromium(proxy, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri(), profile=tmp_path / "shot")
    assert asked == [], "the page asked the network for something"
    assert shot.stat().st_size > 50_000, "a page with its text drawn, not a blank one"
    parser = PageText()
    parser.feed(chromium("--dump-dom", page.as_uri(), profile=tmp_path / "dom").stdout)
    text = "".join(parser.chunks)
    assert "数据字典" in text and "目标完成情况：一行一个有目标的（年度，指标）" in text
