import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mubiao.pipelines.parsers.numbers import NumberError, normalise_text, parse_number

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42.0),
        ("3.14", 3.14),
        ("1,234,567.8", 1234567.8),
        ("1,234", 1234.0),
        ("-12.5", -12.5),
        ("+7", 7.0),
        ("－5", -5.0),
        ("\u22125", -5.0),
        ("９．９％", 9.9),
        ("9.9%", 9.9),
        ("１，２３４", 1234.0),
        (" 12\u3000", 12.0),
        ("1 234", 1234.0),
        ("1.5e3", 1500.0),
        ("2E-2", 0.02),
        (".5", 0.5),
        ("5.", 5.0),
        (3, 3.0),
        (2.5, 2.5),
        (-1, -1.0),
    ],
)
def test_parse_number_accepts(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\t\n"])
def test_parse_number_empty_is_none(value):
    assert parse_number(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("待核", "数值无法识别：'待核'"),
        (" 待核 ", "数值无法识别：'待核'"),
        ("1,2,3", "数值无法识别：'1,2,3'"),
        ("12,34", "数值无法识别：'12,34'"),
        ("1234,567", "数值无法识别：'1234,567'"),
        (",123", "数值无法识别：',123'"),
        ("%", "数值无法识别：'%'"),
        ("9%%", "数值无法识别：'9%%'"),
        ("1.2.3", "数值无法识别：'1.2.3'"),
        ("--5", "数值无法识别：'--5'"),
        ("NaN", "数值无法识别：'NaN'"),
        ("inf", "数值无法识别：'inf'"),
        ("-Infinity", "数值无法识别：'-Infinity'"),
        ("∞", "数值无法识别：'∞'"),
        ("1e309", "数值无法识别：'1e309'"),
        (math.nan, "数值无法识别：'nan'"),
        (math.inf, "数值无法识别：'inf'"),
        (True, "数值无法识别：'True'"),
    ],
)
def test_parse_number_rejects(value, message):
    with pytest.raises(NumberError) as excinfo:
        parse_number(value)
    assert str(excinfo.value) == message


def test_normalise_text_folds_width_and_removes_whitespace():
    assert normalise_text("　１２ ３％\u200b\n") == "123%"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_parse_number_round_trips_grouped_full_width_text(number):
    grouped = f"{number:,.2f}"
    assert parse_number(grouped) == float(number)
    assert parse_number(grouped.translate(FULL_WIDTH)) == float(number)
    assert parse_number(f"{grouped}%") == float(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_round_trips_repr(number):
    assert parse_number(repr(number)) == number
