"""The pack stays readable at 1280 px when a unit misses hundreds of projects, rendered in headless Chromium.

The bundled zone, with 300 more 2017 projects for 安阳城乡 that it never reports on, and an October that only
安阳城乡 and one project have reported: every month's 数据质量 row for 安阳城乡 misses 300 projects or more.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.browser import ARTIFACTS, chromium
from tests.conftest import query

DEFAULT_ZONE = Path(__file__).parents[1] / "data" / "default_zone"
EXTRA_PROJECTS = 300
MEASURE = """
<script>
  const table = document.querySelector("table.submissions");
  const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
  };
  const rows = [...table.tBodies[0].rows];
  document.body.dataset.layout = JSON.stringify({
    page: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    widths: [...table.tHead.rows[0].cells].map(cell => Math.round(cell.getBoundingClientRect().width)),
    lines: [0, 1, 2, 6].map(i => Math.max(...rows.map(row => lines(row.cells[i])))),
    overflowing: rows.flatMap(row => [...row.cells]).filter(cell => cell.scrollWidth > cell.clientWidth).length,
  });
</script>
"""


def write_rows(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(warehouse, report.html) of `mubiao run` on the crowded zone, run as a user types it."""
    office = tmp_path_factory.mktemp("crowded")
    inbox = office / "inbox"
    shutil.copytree(DEFAULT_ZONE, inbox)
    write_rows(
        inbox / "2017年追加项目计划.csv",
        [
            [
                "年度",
                "项目编号",
                "项目名称",
                "项目类别",
                "责任单位",
                "计划总投资",
                "年度计划投资",
                "计量单位",
                "计划开工",
            ],
            *(
                [
                    2017,
                    f"2017ZJ{i:03d}",
                    f"安阳城乡第{i}号乡村振兴配套基础设施及产业园区建设项目",
                    "城建",
                    "XZ05",
                    1,
                    0.5,
                    "亿元",
                    "2017-02",
                ]
                for i in range(1, EXTRA_PROJECTS + 1)
            ),
        ],
    )
    september = (inbox / "2017年09月_安阳城乡_月报.csv").read_text(encoding="utf-8-sig")
    (inbox / "2017年10月_安阳城乡_月报.csv").write_text(september.replace("2017年9月", "2017年10月"), encoding="utf-8")
    write_rows(
        inbox / "2017年10月_项目进度.csv",
        [
            ["项目编号", "统计期", "本年累计完成投资", "计量单位", "项目状态"],
            ["2017ZD001", "2017-10", 1.2, "亿元", "已开工"],
        ],
    )
    return office / "wh" / "warehouse.duckdb", office


def test_many_missing_projects_collapse_to_a_count_and_the_page_keeps_its_columns(pack, mubiao_process, tmp_path):
    warehouse, office = pack
    mubiao_process("run", "--inbox", "inbox", "--warehouse", "wh/warehouse.duckdb", cwd=office)
    (page,) = (warehouse.parent / "report").glob("*/report.html")
    html = page.read_text(encoding="utf-8")
    crowded = query(
        warehouse,
        """
        select month, len(missing_items) as missing from marts.submission_status
        where unit_code = 'XZ05' and kind = 'project_progress' and len(missing_items) >= ? order by month""",
        EXTRA_PROJECTS,
    )
    assert crowded, "安阳城乡 misses the extra projects"
    for row in crowded:
        assert f"缺 {row['missing']} 个项目，明细见工作簿（report.xlsx 的“报送情况”表）" in html
    sheet = openpyxl.load_workbook(page.with_name("report.xlsx"))["报送情况"]
    names = [value for row in sheet.iter_rows(values_only=True) for value in row if "安阳城乡第300号" in str(value)]
    assert len(names) == len(crowded), "the workbook names every missing project"

    checked = tmp_path / "checked.html"
    checked.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", "--window-size=1280,1000", checked.as_uri(), profile=tmp_path / "profile-dom").stdout
    layout = json.loads(re.search(r'data-layout="([^"]*)"', dom)[1].replace("&quot;", '"'))
    assert layout["page"] <= 1280, layout
    assert layout["lines"] == [1, 1, 1, 1], f"月份, 单位, 报送类别 and 状态 stay on one line: {layout}"
    assert layout["overflowing"] == 0, layout
    assert layout["widths"][5] >= 600, f"缺报项目 takes the room the others leave: {layout}"

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-300-missing-projects.png"
    shot.unlink(missing_ok=True)
    chromium(
        f"--screenshot={shot}",
        f"--window-size=1280,{layout['height']}",
        page.as_uri(),
        profile=tmp_path / "profile-shot",
    )
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == 1280
    print(f"screenshot: {shot}")
