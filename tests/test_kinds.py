"""Header recognition (docs/submissions.md §2.1–2.6): every spelling, every kind, and what is not a header."""

import pytest

from mubiao.foundation.kinds import KINDS, detect_kind, header_token, map_header

# The header row of each kind as docs/submissions.md §2 spells it, English and Chinese.
HEADERS = {
    "units": {
        "en": ["unit_code", "unit_name", "unit_type"],
        "zh": ["单位代码", "单位名称", "单位类型"],
    },
    "indicators": {
        "en": ["indicator_code", "indicator_name", "measure", "aggregation", "responsible_unit"],
        "zh": ["指标代码", "指标名称", "计量单位", "汇总方式", "责任单位"],
    },
    "indicator_values": {
        "en": ["unit_code", "indicator_code", "period", "value", "measure", "yoy_pct", "note"],
        "zh": ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
    },
    "targets": {
        "en": ["year", "indicator_code", "target_text", "responsible_unit"],
        "zh": ["年度", "指标代码", "目标", "责任单位"],
    },
    "projects": {
        "en": [
            "year",
            "project_code",
            "project_name",
            "category",
            "owner",
            "responsible_unit",
            "total_investment",
            "annual_plan",
            "measure",
            "batch",
            "planned_start",
        ],
        "zh": [
            "年度",
            "项目编号",
            "项目名称",
            "项目类别",
            "建设单位",
            "责任单位",
            "计划总投资",
            "年度计划投资",
            "计量单位",
            "批次",
            "计划开工",
        ],
    },
    "project_progress": {
        "en": ["project_code", "period", "completed_ytd", "measure", "status", "start_date", "note"],
        "zh": ["项目编号", "统计期", "本年累计完成投资", "计量单位", "项目状态", "实际开工日期", "备注"],
    },
}

# The canonical column each position of HEADERS[kind]["en"/"zh"] stands for.
CANONICAL = {kind: spellings["en"] for kind, spellings in HEADERS.items()}

# The columns docs/submissions.md §2 calls required, canonical → zh; for indicator_values and
# targets the code columns stand for "code or name".
MINIMAL = {
    "units": {"unit_code": "单位代码", "unit_name": "单位名称", "unit_type": "单位类型"},
    "indicators": {
        "indicator_code": "指标代码",
        "indicator_name": "指标名称",
        "measure": "计量单位",
        "aggregation": "汇总方式",
        "responsible_unit": "责任单位",
    },
    "indicator_values": {
        "unit_code": "单位代码",
        "indicator_code": "指标代码",
        "period": "统计期",
        "value": "本期累计值",
        "measure": "计量单位",
    },
    "targets": {"year": "年度", "indicator_code": "指标代码", "target_text": "目标"},
    "projects": {
        "year": "年度",
        "project_code": "项目编号",
        "project_name": "项目名称",
        "category": "项目类别",
        "responsible_unit": "责任单位",
        "total_investment": "计划总投资",
        "annual_plan": "年度计划投资",
        "measure": "计量单位",
    },
    "project_progress": {
        "project_code": "项目编号",
        "period": "统计期",
        "completed_ytd": "本年累计完成投资",
        "measure": "计量单位",
        "status": "项目状态",
    },
}

# Columns docs/submissions.md §2 calls required whose cells may nevertheless be empty.
ALL_SPELLINGS = [pytest.param(kind, language, id=f"{kind}-{language}") for kind in HEADERS for language in ("en", "zh")]


def test_the_table_covers_every_kind():
    assert set(HEADERS) == set(KINDS)


@pytest.mark.parametrize(("kind", "language"), ALL_SPELLINGS)
def test_full_header_is_recognised_as_its_kind(kind, language):
    header = HEADERS[kind][language]
    found = detect_kind(header)
    assert found is not None
    detected, mapping = found
    assert detected.name == kind
    assert mapping == dict(enumerate(CANONICAL[kind]))


@pytest.mark.parametrize(("kind", "language"), ALL_SPELLINGS)
def test_every_spelling_maps_to_its_column(kind, language):
    header = HEADERS[kind][language]
    assert map_header(KINDS[kind], header) == dict(enumerate(CANONICAL[kind]))


@pytest.mark.parametrize("kind", list(MINIMAL))
def test_required_columns_alone_are_enough(kind):
    found = detect_kind(list(MINIMAL[kind].values()))
    assert found is not None
    assert found[0].name == kind
    assert sorted(found[1].values()) == sorted(MINIMAL[kind])


@pytest.mark.parametrize("kind", list(MINIMAL))
def test_column_order_does_not_matter(kind):
    header = list(reversed(HEADERS[kind]["zh"]))
    found = detect_kind(header)
    assert found is not None
    assert found[0].name == kind
    assert sorted(found[1].values()) == sorted(CANONICAL[kind])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # unit by name (单位名称 or 填报单位) instead of code
        (["单位名称", "指标代码", "统计期", "本期累计值", "计量单位"], {0: "unit_name"}),
        (["填报单位", "指标代码", "统计期", "本期累计值", "计量单位"], {0: "unit_name"}),
        (["unit_name", "indicator_code", "period", "value", "measure"], {0: "unit_name"}),
        # indicator by name instead of code
        (["单位代码", "指标名称", "统计期", "本期累计值", "计量单位"], {1: "indicator_name"}),
        (["unit_code", "indicator_name", "period", "value", "measure"], {1: "indicator_name"}),
        # both by name, as offices fill it in by hand
        (
            ["填报单位", "指标名称", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
            {0: "unit_name", 1: "indicator_name", 5: "yoy_pct", 6: "note"},
        ),
        # growth with its percent sign
        (["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长(%)"], {5: "yoy_pct"}),
        (["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长%"], {5: "yoy_pct"}),
    ],
)
def test_indicator_values_alternative_spellings(header, expected):
    found = detect_kind(header)
    assert found is not None
    kind, mapping = found
    assert kind.name == "indicator_values"
    assert {position: mapping[position] for position in expected} == expected


@pytest.mark.parametrize(
    "header",
    [
        ["年度", "指标名称", "目标", "责任单位"],
        ["year", "indicator_name", "target_text"],
    ],
)
def test_targets_by_indicator_name(header):
    found = detect_kind(header)
    assert found is not None
    assert found[0].name == "targets"
    assert found[1][1] == "indicator_name"


def _without_each_required(kind: str):
    for name in MINIMAL[kind]:
        yield pytest.param([zh for column, zh in MINIMAL[kind].items() if column != name], id=f"{kind}-without-{name}")


@pytest.mark.parametrize("header", [p for kind in MINIMAL for p in _without_each_required(kind)])
def test_header_missing_a_required_column_is_not_recognised(header):
    assert detect_kind(header) is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(["统计期", "本期累计值", "计量单位", "指标代码"], id="indicator_values-without-unit"),
        pytest.param(["单位代码", "统计期", "本期累计值", "计量单位"], id="indicator_values-without-indicator"),
        pytest.param(["年度", "目标", "责任单位"], id="targets-without-indicator"),
    ],
)
def test_header_missing_both_alternatives_is_not_recognised(header):
    assert detect_kind(header) is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param([], id="empty-row"),
        pytest.param([None, None, None], id="blank-cells"),
        pytest.param(["焦作市城乡一体化示范区2017年6月主要指标完成情况", None, None], id="title-row"),
        pytest.param(["姓名", "电话", "地址"], id="unrelated"),
        pytest.param(["TJJ", "GDP", "2017-06", "60.12", "亿元"], id="data-row"),
    ],
)
def test_rows_that_are_no_header(header):
    assert detect_kind(header) is None


@pytest.mark.parametrize(
    ("cell", "token"),
    [
        (" 单位代码 ", "单位代码"),
        ("\u3000单位代码\u3000", "单位代码"),  # ideographic spaces
        ("\t统计期\n", "统计期"),
        ("本期 累计值", "本期累计值"),
        ("\u00a0计量单位", "计量单位"),  # no-break space
        ("同比增长（％）", "同比增长(%)"),  # full-width brackets and percent
        ("Ｕｎｉｔ＿Ｃｏｄｅ", "unit_code"),  # full-width letters and low line
        ("UNIT_CODE", "unit_code"),
        (None, ""),
        (2017, "2017"),
    ],
)
def test_header_token(cell, token):
    assert header_token(cell) == token


def test_messy_header_is_recognised_column_by_column():
    header = [
        "Ｕｎｉｔ＿Ｃｏｄｅ",
        "\u3000指标代码\u3000",
        " 统计期 ",
        "本期累计值 ",
        "\u3000计量单位",
        "同比增长（％）",
        " 备注\u3000",
    ]
    found = detect_kind(header)
    assert found is not None
    kind, mapping = found
    assert kind.name == "indicator_values"
    assert mapping == {
        0: "unit_code",
        1: "indicator_code",
        2: "period",
        3: "value",
        4: "measure",
        5: "yoy_pct",
        6: "note",
    }


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        pytest.param(
            [
                " ＹＥＡＲ ",
                "Project_Code",
                "项目名称\u3000",
                "项目类别",
                "责任单位",
                "计划总投资",
                "年度计划投资　",
                "计量单位",
            ],
            "projects",
            id="projects",
        ),
        pytest.param(
            ["\u3000项目编号", "统计期 ", "本年累计完成投资", "ＭＥＡＳＵＲＥ", " 项目状态"],
            "project_progress",
            id="project_progress",
        ),
        pytest.param(["Ｕｎｉｔ＿Ｃｏｄｅ", " 单位名称 ", "单位类型\u3000"], "units", id="units"),
    ],
)
def test_messy_headers_of_other_kinds(header, kind):
    found = detect_kind(header)
    assert found is not None
    assert found[0].name == kind


def test_a_column_spelled_twice_maps_once():
    header = ["单位代码", "unit_code", "指标代码", "统计期", "本期累计值", "计量单位"]
    mapping = map_header(KINDS["indicator_values"], header)
    assert list(mapping.values()).count("unit_code") == 1
    assert mapping[0] == "unit_code"


def test_extra_columns_are_ignored():
    header = ["序号", "单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "填报人", "联系电话"]
    found = detect_kind(header)
    assert found is not None
    kind, mapping = found
    assert kind.name == "indicator_values"
    assert mapping == {1: "unit_code", 2: "indicator_code", 3: "period", 4: "value", 5: "measure"}
