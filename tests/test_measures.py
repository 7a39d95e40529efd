from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mubiao.pipelines.parsers.measures import (
    MeasureError,
    conversion_factor,
    convert,
    measure_family,
    normalise_measure,
    parse_quantity,
)
from mubiao.pipelines.parsers.numbers import NumberError

CANONICAL = {
    "元": "money",
    "万元": "money",
    "亿元": "money",
    "美元": "foreign_money",
    "万美元": "foreign_money",
    "亿美元": "foreign_money",
    "人": "people",
    "万人": "people",
    "亩": "area",
    "公顷": "area",
    "平方米": "area",
    "万平方米": "area",
    "平方公里": "area",
    "米": "length",
    "公里": "length",
    "吨": "mass",
    "万吨": "mass",
    "%": "percent",
    **{word: f"count:{word}" for word in "个家件项所台辆"},
}


@pytest.mark.parametrize(("measure", "family"), CANONICAL.items())
def test_canonical_measures_and_families(measure, family):
    assert normalise_measure(measure) == measure
    assert measure_family(measure) == family


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(亿元)", "亿元"),
        ("（万元）", "万元"),
        ("【亩】", "亩"),
        ("［吨］", "吨"),
        (" 万 元 ", "万元"),
        ("\u3000亿元\u3000", "亿元"),
        ("千米", "公里"),
        ("km", "公里"),
        ("KM", "公里"),
        ("（千米）", "公里"),
        ("平方千米", "平方公里"),
        ("％", "%"),
        ("百分比", "%"),
        ("人次", None),
        ("m", None),
        ("美金", None),
        ("", None),
        ("()", None),
        (None, None),
    ],
)
def test_normalise_measure(text, expected):
    assert normalise_measure(text) == expected


def test_measure_family_of_unknown_is_none():
    assert measure_family("人次") is None


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("元", "元", Decimal(1)),
        ("万元", "亿元", Decimal("0.0001")),
        ("亿元", "万元", Decimal(10000)),
        ("元", "亿元", Decimal("0.00000001")),
        ("万美元", "亿美元", Decimal("0.0001")),
        ("万人", "人", Decimal(10000)),
        ("公顷", "亩", Decimal(15)),
        ("平方公里", "平方米", Decimal(1000000)),
        ("平方公里", "公顷", Decimal(100)),
        ("万平方米", "平方米", Decimal(10000)),
        ("公顷", "平方米", Decimal(10000)),
        ("亩", "平方米", Decimal(2000) / Decimal(3)),
        ("亩", "公顷", Decimal(1) / Decimal(15)),
        ("千米", "米", Decimal(1000)),
        ("km", "公里", Decimal(1)),
        ("万吨", "吨", Decimal(10000)),
        ("个", "个", Decimal(1)),
        ("％", "%", Decimal(1)),
        ("（万元）", "亿元", Decimal("0.0001")),
    ],
)
def test_conversion_factor(source, target, factor):
    assert conversion_factor(source, target) == factor


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("万美元", "亿元", "计量单位无法换算：万美元→亿元"),
        ("元", "美元", "计量单位无法换算：元→美元"),
        ("个", "家", "计量单位无法换算：个→家"),
        ("人", "个", "计量单位无法换算：人→个"),
        ("亩", "米", "计量单位无法换算：亩→米"),
        ("（万美元）", "亿元", "计量单位无法换算：万美元→亿元"),
        ("人次", "人", "计量单位无法识别：'人次'"),
        ("人", "xx", "计量单位无法识别：'xx'"),
    ],
)
def test_conversion_factor_rejects(source, target, message):
    with pytest.raises(MeasureError) as excinfo:
        conversion_factor(source, target)
    assert str(excinfo.value) == message
    with pytest.raises(MeasureError):
        convert(1.0, source, target)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1243000, "万元", "亿元", 124.3),
        (3990, "万美元", "亿美元", 0.399),
        (1, "公顷", "亩", 15.0),
        (15, "亩", "公顷", 1.0),
        (0.1, "亿元", "万元", 1000.0),
        (83.9, "亿元", "万元", 839000.0),
        (2.3, "万人", "人", 23000.0),
        (1.5, "千米", "米", 1500.0),
        (3200.0, "人", "人", 3200.0),
        (-12.5, "万元", "元", -125000.0),
    ],
)
def test_convert_is_exact(value, source, target, expected):
    assert convert(value, source, target) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False))
def test_convert_wan_to_yi_matches_decimal_arithmetic(amount):
    assert convert(float(amount), "万元", "亿元") == float(amount / 10000)
    assert convert(float(amount), "公顷", "亩") == float(amount * 15)


@pytest.mark.parametrize(
    ("value", "measure", "expected"),
    [
        ("12.3万", "元", 123000.0),
        ("1.2亿", "元", 120000000.0),
        ("1,234.5万", "人", 12345000.0),
        ("０．１万", "（人）", 1000.0),
        ("3.99万", "美元", 39900.0),
        ("12.3", "万元", 12.3),
        ("12.3", "元", 12.3),
        ("", "元", None),
    ],
)
def test_a_number_with_wan_or_yi_counts_in_the_measure_given(value, measure, expected):
    assert parse_quantity(value, measure) == expected


@pytest.mark.parametrize(
    ("value", "measure", "message"),
    [
        ("12.3万", "万元", "'12.3万'带“万”，计量单位万元又带“万”，无法确定数值（只填数字，或把计量单位改为元）"),
        ("1.2万", "亿元", "'1.2万'带“万”，计量单位亿元又带“亿”，无法确定数值（只填数字，或把计量单位改为元）"),
        ("2万", "万人", "'2万'带“万”，计量单位万人又带“万”，无法确定数值（只填数字，或把计量单位改为人）"),
        ("待核万", "元", "数值无法识别：'待核万'"),
        ("万", "元", "数值无法识别：'万'"),
    ],
)
def test_wan_or_yi_beside_a_measure_of_its_own_magnitude_is_refused(value, measure, message):
    with pytest.raises(NumberError) as refused:
        parse_quantity(value, measure)
    assert str(refused.value) == message
