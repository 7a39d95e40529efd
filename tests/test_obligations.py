"""The catalogue's 报送频率 and 填报范围 (pipelines/parsers/obligations.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mubiao.pipelines.parsers.obligations import FrequencyError, parse_frequency, split_reporters


@pytest.mark.parametrize(
    "text, months",
    [
        ("月报", tuple(range(1, 13))),
        ("monthly", tuple(range(1, 13))),
        ("季报", (3, 6, 9, 12)),
        (" 季度 ", (3, 6, 9, 12)),
        ("Quarterly", (3, 6, 9, 12)),
        ("半年报", (6, 12)),
        ("年报", (12,)),
        ("6-12月", (6, 7, 8, 9, 10, 11, 12)),
        ("6月至12月", (6, 7, 8, 9, 10, 11, 12)),
        ("6～8月", (6, 7, 8)),
        ("3、6、9、12月", (3, 6, 9, 12)),
        ("３，６", (3, 6)),
        ("12,3", (3, 12)),
    ],
)
def test_frequency_names_its_months(text: str, months: tuple[int, ...]) -> None:
    assert parse_frequency(text) == months


@pytest.mark.parametrize("text", ["每两月", "13月", "0", "6-13月", "季", "3;x"])
def test_a_frequency_that_names_no_months_is_refused(text: str) -> None:
    with pytest.raises(FrequencyError, match="报送频率无法识别"):
        parse_frequency(text)


@given(st.sets(st.integers(1, 12), min_size=1))
def test_any_list_of_months_round_trips(months: set[int]) -> None:
    text = "、".join(str(m) for m in sorted(months)) + "月"
    assert parse_frequency(text) == tuple(sorted(months))


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("乡镇街道", ["乡镇街道"]),
        ("乡镇、驻区单位", ["乡镇街道", "驻区机构"]),
        ("xz01, XZ02；bm05", ["XZ01", "XZ02", "BM05"]),
        ("街道 ZQ01", ["乡镇街道", "ZQ01"]),
    ],
)
def test_reporters_are_unit_types_and_codes(text: str, tokens: list[str]) -> None:
    assert split_reporters(text) == tokens
