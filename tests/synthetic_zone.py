"""A second, small zone (codes Z01–Z05, years 2019–2021) that shares nothing with the bundled default data: the
dictionaries its files are written from, and `write_zone`. 2020 is a finished year (data through month 12), 2021
a running one (data through month 6)."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

UNITS = {
    "Z01": ("经济发展局", "区直部门"),
    "Z02": ("东湖街道", "乡镇街道"),
    "Z03": ("西岭镇", "乡镇街道"),
    "Z04": ("建设交通局", "区直部门"),
    "Z05": ("社会保障局", "区直部门"),
}

# code: (name, catalogue measure, aggregation, responsible unit)
INDICATORS = {
    "GDP": ("生产总值", "亿元", "reported", "Z01"),  # code and name fixed by docs/submissions.md §2.9 (经济增长 = GDP)
    "IND": ("规模以上工业增加值", "亿元", "reported", "Z01"),
    "FAI": ("固定资产投资", "亿元", "sum", "Z01"),
    "RET": ("社会消费品零售总额", "亿元", "sum", "Z01"),
    "REV": ("一般公共预算收入", "亿元", "reported", "Z01"),
    "JOB": ("城镇新增就业", "人", "reported", "Z05"),
    "GRN": ("新增造林面积", "亩", "reported", "Z03"),
    "EXP": ("出口总额", "万美元", "reported", "Z01"),
    "INC": ("居民人均可支配收入", "元", "reported", "Z05"),
    "ENV": ("单位生产总值能耗降低率", "%", "reported", "Z01"),
    "NOV": ("高新技术产业增加值", "亿元", "reported", "Z01"),  # never reported
}

# Factor from a sent measure to the catalogue's (docs/submissions.md §2.8), for the measures used here.
TO_CANONICAL = {"亿元": 1.0, "万元": 1e-4, "元": 1.0, "人": 1.0, "亩": 1.0, "公顷": 15.0, "万美元": 1.0, "%": 1.0}


def v(unit, ind, period, ym, value, measure, yoy=None):
    return {"unit": unit, "ind": ind, "period": period, "ym": ym, "value": value, "measure": measure, "yoy": yoy}


# Indicator values, grouped by the file that carries them.
VALUES_2019 = [  # UTF-8 CSV, English headers
    v("Z01", "GDP", "2019年", (2019, 12), "150.2", "亿元", 6.8),
    v("Z02", "FAI", "2019年全年", (2019, 12), "180,000", "万元"),
    v("Z03", "FAI", "2019-12", (2019, 12), "11.5", "亿元"),
    v("Z04", "FAI", "2019", (2019, 12), "9.8", "亿元"),
]
VALUES_2020_Z01 = [  # GBK CSV, Chinese headers, unit and indicator given by name
    v("Z01", "GDP", "2020年全年", (2020, 12), "161.4", "亿元", 7.3),
    v("Z01", "IND", "2020年全年", (2020, 12), "55.6", "亿元", 7.6),
    v("Z01", "REV", "2020年全年", (2020, 12), "88,200", "万元", 5.4),
    v("Z01", "EXP", "2020年全年", (2020, 12), "3,250", "万美元", -1.2),
    v("Z01", "ENV", "2020年全年", (2020, 12), "3.1", "%"),
]
VALUES_2020_OTHERS = [  # UTF-8 with BOM, English headers
    v("Z02", "FAI", "2020年1-6月", (2020, 6), "80,000", "万元"),
    v("Z03", "FAI", "2020H1", (2020, 6), "5.2", "亿元"),
    v("Z04", "FAI", "2020-06", (2020, 6), "4.3", "亿元"),
    v("Z02", "GDP", "2020年全年", (2020, 12), "40.1", "亿元", 9.9),  # not the responsible unit: ignored
    v("Z02", "FAI", "2020年全年", (2020, 12), "196,500", "万元"),
    v("Z03", "FAI", "2020年全年", (2020, 12), "12.1", "亿元"),
    v("Z04", "FAI", "2020年全年", (2020, 12), "10.75", "亿元"),
    v("Z02", "RET", "2020年全年", (2020, 12), "30.0", "亿元"),
    v("Z03", "RET", "2020年全年", (2020, 12), "125,000", "万元"),
    v("Z05", "JOB", "2020年全年", (2020, 12), "620", "人"),
    v("Z03", "GRN", "2020年全年", (2020, 12), "100", "公顷"),
    v("Z05", "INC", "2020年全年", (2020, 12), "32,150", "元", 7.5),
]
VALUES_2021 = [  # GBK CSV, Chinese headers, codes
    v("Z01", "GDP", "2021Q1", (2021, 3), "38.0", "亿元", 7.9),
    v("Z01", "GDP", "2021年上半年", (2021, 6), "80.3", "亿元", 8.4),
    v("Z01", "IND", "2021H1", (2021, 6), "28.1", "亿元", 8.2),
    v("Z01", "EXP", "2021年6月", (2021, 6), "1,720", "万美元", 2.1),
    v("Z01", "ENV", "2021-06", (2021, 6), "1.4", "%"),
    v("Z02", "FAI", "2021-06", (2021, 6), "90,000", "万元"),
    v("Z04", "FAI", "2021-06", (2021, 6), "4.6", "亿元"),
    v("Z05", "JOB", "2021-06", (2021, 6), "280", "人"),
    v("Z05", "INC", "2021-06", (2021, 6), "16,890", "元", 7.9),
]
VALUES_2021_Z03 = [  # UTF-8 CSV, English headers; holds the one bad row
    v("Z03", "FAI", "2021-06", (2021, 6), "6.1", "亿元"),
    v("Z03", "GRN", "2021-06", (2021, 6), "60", "公顷"),
]
BAD_ROW = v("Z03", "XYZ", "2021-06", (2021, 6), "7", "亿元")  # unknown indicator → quarantined
VALUES = VALUES_2019 + VALUES_2020_Z01 + VALUES_2020_OTHERS + VALUES_2021 + VALUES_2021_Z03

# (year, indicator): (target phrase, responsible-unit override or None)
TARGETS = {
    (2020, "GDP"): ("增长7%", None),
    (2020, "IND"): ("增长8%左右", None),
    (2020, "FAI"): ("增长10%", None),
    (2020, "REV"): ("增长6%左右", None),
    (2020, "JOB"): ("500人以上", None),
    (2020, "GRN"): ("达到1500亩", None),
    (2020, "EXP"): ("保持稳定", None),
    (2020, "INC"): ("与生产总值增长同步", None),
    (2020, "ENV"): ("完成省、市下达任务", "Z04"),
    (2020, "NOV"): ("增长5%", None),
    (2021, "GDP"): ("增长8%", None),
    (2021, "IND"): ("增长9%左右", None),
    (2021, "FAI"): ("增长10%以上", None),
    (2021, "REV"): ("增长6%", None),
    (2021, "JOB"): ("600人以上", None),
    (2021, "GRN"): ("达到1600亩", None),
    (2021, "EXP"): ("保持稳定", None),
    (2021, "INC"): ("与经济增长同步", None),
    (2021, "ENV"): ("完成省、市下达任务", "Z04"),
}

# What each phrase means (docs/submissions.md §2.9), written out by hand: (type, value, tolerance, reference).
RULES = {
    "增长7%": ("growth", 7.0, 0.0, None),
    "增长8%": ("growth", 8.0, 0.0, None),
    "增长8%左右": ("growth", 8.0, 0.5, None),
    "增长9%左右": ("growth", 9.0, 0.5, None),
    "增长10%": ("growth", 10.0, 0.0, None),
    "增长10%以上": ("growth", 10.0, 0.0, None),
    "增长6%左右": ("growth", 6.0, 0.5, None),
    "增长6%": ("growth", 6.0, 0.0, None),
    "增长5%": ("growth", 5.0, 0.0, None),
    "500人以上": ("level", 500.0, None, None),
    "600人以上": ("level", 600.0, None, None),
    "达到1500亩": ("level", 1500.0, None, None),
    "达到1600亩": ("level", 1600.0, None, None),
    "保持稳定": ("stable", 0.0, None, None),
    "与生产总值增长同步": ("sync", None, None, "GDP"),
    "与经济增长同步": ("sync", None, None, "GDP"),
    "完成省、市下达任务": ("assigned", None, None, None),
}

# code: (year, name, category as written, responsible unit, total, annual plan, measure)
PROJECTS = {
    "P01": (2021, "东湖智能装备产业园", "工业", "Z02", "5.0", "2.0", "亿元"),
    "P02": (2021, "西岭新材料扩建", "工业", "Z03", "32,000", "12,000", "万元"),
    "P03": (2021, "东湖食品加工技改", "工业", "Z02", "1.5", "1.5", "亿元"),
    "P04": (2021, "滨河快速通道", "基础设施", "Z04", "8.0", "3.0", "亿元"),
    "P05": (2021, "老旧小区改造", "城建", "Z04", "45,000", "20,000", "万元"),
    "P06": (2021, "区人民医院二期", "社会事业", "Z05", "2.4", "1.0", "亿元"),
    "P07": (2021, "社区养老服务中心", "社会事业", "Z05", "6,000", "6,000", "万元"),
    "P08": (2021, "高铁片区综合开发", "前期", "Z03", "10.0", "", "亿元"),
}
CATEGORY_READ_AS = {"基础设施": "城建"}

# Progress reports, by month: (project, completed_ytd, measure, status). P08 never reports.
PROGRESS = {
    3: [
        ("P01", "0.5", "亿元", "已开工"),
        ("P02", "3,000", "万元", "已开工"),
        ("P04", "0.8", "亿元", "已开工"),
        ("P06", "0", "亿元", "未开工"),
    ],
    5: [("P01", "0.9", "亿元", "已开工"), ("P05", "5,000", "万元", "已开工"), ("P07", "6,000", "万元", "竣工")],
    6: [
        ("P01", "1.2", "亿元", "已开工"),
        ("P02", "6,500", "万元", "已开工"),
        ("P03", "0.2", "亿元", "已开工"),
        ("P04", "1.6", "亿元", "投产"),
        ("P06", "0.3", "亿元", "已开工"),
    ],
}
PROGRESS_YEAR = 2021

ZH = {
    "unit_code": "单位代码",
    "unit_name": "单位名称",
    "unit_type": "单位类型",
    "indicator_code": "指标代码",
    "indicator_name": "指标名称",
    "measure": "计量单位",
    "aggregation": "汇总方式",
    "responsible_unit": "责任单位",
    "period": "统计期",
    "value": "本期累计值",
    "yoy_pct": "同比增长(%)",
    "year": "年度",
    "target_text": "目标",
    "project_code": "项目编号",
    "project_name": "项目名称",
    "category": "项目类别",
    "total_investment": "计划总投资",
    "annual_plan": "年度计划投资",
    "completed_ytd": "本年累计完成投资",
    "status": "项目状态",
}


# ---------------------------------------------------------------- writing the files


def write(path: Path, columns: list[str], rows: list[list], *, zh: bool = False, encoding: str = "utf-8") -> None:
    """One submission file: a CSV in `encoding`, or (for .xlsx) a one-sheet workbook; Chinese headers if `zh`."""
    header = [ZH[c] if zh else c for c in columns]
    if path.suffix == ".xlsx":
        with xlsxwriter.Workbook(str(path)) as book:
            sheet = book.add_worksheet()
            for r, row in enumerate([header, *rows]):
                sheet.write_row(r, 0, row)
        return
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([header, *rows])


def value_rows(values: list[dict], by_name: bool = False) -> list[list]:
    return [
        [
            UNITS[x["unit"]][0] if by_name else x["unit"],
            INDICATORS.get(x["ind"], (x["ind"],))[0] if by_name else x["ind"],
            x["period"],
            x["value"],
            x["measure"],
            "" if x["yoy"] is None else x["yoy"],
        ]
        for x in values
    ]


def write_zone(inbox: Path) -> Path:
    inbox.mkdir()
    write(
        inbox / "units.csv",
        ["unit_code", "unit_name", "unit_type"],
        [[code, name, kind] for code, (name, kind) in UNITS.items()],
    )
    write(
        inbox / "指标目录.xlsx",
        ["indicator_code", "indicator_name", "measure", "aggregation", "responsible_unit"],
        [[code, *spec] for code, spec in INDICATORS.items()],
        zh=True,
    )
    write(
        inbox / "年度目标.csv",
        ["year", "indicator_code", "target_text", "responsible_unit"],
        [[year, code, text, unit or ""] for (year, code), (text, unit) in TARGETS.items()],
        zh=True,
        encoding="gbk",
    )
    value_columns = ["unit_code", "indicator_code", "period", "value", "measure", "yoy_pct"]
    write(inbox / "2019年_分单位.csv", value_columns, value_rows(VALUES_2019))
    write(
        inbox / "2020年_经发局.csv",
        ["unit_name", "indicator_name", "period", "value", "measure", "yoy_pct"],
        value_rows(VALUES_2020_Z01, by_name=True),
        zh=True,
        encoding="gbk",
    )
    write(inbox / "2020年_各单位.csv", value_columns, value_rows(VALUES_2020_OTHERS), encoding="utf-8-sig")
    write(inbox / "2021年上半年.csv", value_columns, value_rows(VALUES_2021), zh=True, encoding="gbk")
    write(inbox / "2021年6月_西岭镇.csv", value_columns, value_rows([*VALUES_2021_Z03, BAD_ROW]))
    write(
        inbox / "重点项目.xlsx",
        [
            "year",
            "project_code",
            "project_name",
            "category",
            "responsible_unit",
            "total_investment",
            "annual_plan",
            "measure",
        ],
        [[p[0], code, *p[1:]] for code, p in PROJECTS.items()],
        zh=True,
    )
    for month, reports in PROGRESS.items():
        write(
            inbox / f"{PROGRESS_YEAR}年{month:02d}月_项目进度.csv",
            ["project_code", "period", "completed_ytd", "measure", "status"],
            [
                [code, f"{PROGRESS_YEAR}-{month:02d}", amount, measure, status]
                for code, amount, measure, status in reports
            ],
            zh=month % 2 == 0,
            encoding="gbk" if month % 2 == 0 else "utf-8",
        )
    return inbox
