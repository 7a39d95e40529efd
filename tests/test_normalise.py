"""The normaliser resolves what units write by name, and converts measures without binary noise."""

from __future__ import annotations

import pandas as pd
import pytest

from mubiao.pipelines.loading.normalise import References, _reference_code, _significant

REFS = References(
    indicators={"GRP": ("地区生产总值", "亿元", "Z1"), "INC": ("居民人均可支配收入", "元", "Z1")},
    indicator_names={"地区生产总值": "GRP", "居民人均可支配收入": "INC"},
)


@pytest.mark.parametrize(
    "written, code",
    [
        ("GRP", "GRP"),
        ("地区生产总值", "GRP"),
        ("生产总值", "GRP"),
        ("GDP", "GRP"),
        ("工业增加值", "工业增加值"),
    ],
)
def test_a_sync_target_finds_the_indicator_it_names(written, code):
    assert _reference_code(written, REFS) == code


def test_converted_values_lose_their_binary_noise():
    converted = _significant(pd.Series([1243000 * 1e-4, 0.68 * 10000, 192500 * 1e-4, 0.0, -1.23]))
    assert converted.tolist() == [124.3, 6800.0, 19.25, 0.0, -1.23]
