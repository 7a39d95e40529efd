import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mubiao.pipelines.parsers.target_phrases import TargetSpec, parse_target

ASSIGNED = TargetSpec("assigned", None, None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长9%", TargetSpec("growth", 9.0, None, "%", None)),
        ("增长9%以上", TargetSpec("growth", 9.0, None, "%", None)),
        ("增长不低于9%", TargetSpec("growth", 9.0, None, "%", None)),
        ("增长8.5%", TargetSpec("growth", 8.5, None, "%", None)),
        ("增长9%左右", TargetSpec("growth", 9.0, 0.5, "%", None)),
        ("生产总值增长9%左右", TargetSpec("growth", 9.0, 0.5, "%", None)),
        ("增长９％左右", TargetSpec("growth", 9.0, 0.5, "%", None)),
        ("增长 9% 左右", TargetSpec("growth", 9.0, 0.5, "%", None)),
        ("增长８.５％\u3000左右", TargetSpec("growth", 8.5, 0.5, "%", None)),
        ("下降5%", TargetSpec("growth", -5.0, None, "%", None)),
        ("3200人以上", TargetSpec("level", 3200.0, None, "人", None)),
        ("达到3200人", TargetSpec("level", 3200.0, None, "人", None)),
        ("不低于3200人", TargetSpec("level", 3200.0, None, "人", None)),
        ("3200人", TargetSpec("level", 3200.0, None, "人", None)),
        ("新增3200人以上", TargetSpec("level", 3200.0, None, "人", None)),
        ("城镇新增就业3200人以上", TargetSpec("level", 3200.0, None, "人", None)),
        ("３２００ 人以上", TargetSpec("level", 3200.0, None, "人", None)),
        ("3200亩以上", TargetSpec("level", 3200.0, None, "亩", None)),
        ("12.5亿元", TargetSpec("level", 12.5, None, "亿元", None)),
        ("达到16万元", TargetSpec("level", 16.0, None, "万元", None)),
        ("1,243,000万元", TargetSpec("level", 1243000.0, None, "万元", None)),
        ("完成50万平方米", TargetSpec("level", 50.0, None, "万平方米", None)),
        ("新建5千米", TargetSpec("level", 5.0, None, "公里", None)),
        ("城镇化率达到55%", TargetSpec("level", 55.0, None, "%", None)),
        ("保持稳定", TargetSpec("stable", None, None, None, None)),
        ("进出口总值保持稳定", TargetSpec("stable", None, None, None, None)),
        ("与生产总值增长同步", TargetSpec("sync", None, None, None, "生产总值")),
        ("与经济增长同步", TargetSpec("sync", None, None, None, "GDP")),
        ("居民收入与经济增长同步", TargetSpec("sync", None, None, None, "GDP")),
        ("与 经济增长 同步", TargetSpec("sync", None, None, None, "GDP")),
        ("完成省、市下达任务", ASSIGNED),
        ("", ASSIGNED),
        ("   ", ASSIGNED),
        ("下降5%以内", ASSIGNED),
        ("增长9%以内", ASSIGNED),
        ("增长9-10%", ASSIGNED),
        ("3200人以下", ASSIGNED),
        ("12亿元左右", ASSIGNED),
        ("3200人次", ASSIGNED),
        ("新建5所学校", ASSIGNED),
        ("明显提高", ASSIGNED),
    ],
)
def test_parse_target(text, expected):
    assert parse_target(text) == expected


def test_target_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_target("增长9%").value = 10.0


# ---------------------------------------------------------------- properties

_PERCENT = st.decimals(min_value=0, max_value=99, places=1, allow_nan=False, allow_infinity=False)
_AMOUNT = st.integers(min_value=1, max_value=10**7)
_PREFIX = st.sampled_from(["", "生产总值", "全社会固定资产投资", "城镇新增就业"])


@given(_PREFIX, _PERCENT, st.sampled_from(["", "以上", "左右"]))
def test_any_growth_phrase_reads_its_rate(prefix, rate, suffix):
    spec = parse_target(f"{prefix}增长{rate}%{suffix}")
    assert (spec.type, spec.value, spec.measure) == ("growth", float(rate), "%")
    assert spec.tolerance == (0.5 if suffix == "左右" else None)


@given(_PERCENT)
def test_a_fall_is_a_negative_growth(rate):
    assert parse_target(f"下降{rate}%").value == -float(rate)


@given(
    _PREFIX,
    _AMOUNT,
    st.sampled_from(["人", "亩", "亿元", "万平方米", "公里"]),
    st.sampled_from(["{n}{m}以上", "达到{n}{m}", "不低于{n}{m}", "{n}{m}"]),
    st.booleans(),
)
def test_any_level_phrase_reads_its_amount_and_measure(prefix, amount, measure, form, grouped):
    number = f"{amount:,}" if grouped else str(amount)
    spec = parse_target(prefix + form.format(n=number, m=measure))
    assert (spec.type, spec.value, spec.measure) == ("level", float(amount), measure)


@given(st.text(alphabet="保持明显提高完成省市下达任务的各项，、", max_size=20))
def test_text_without_a_number_is_never_a_growth_or_level(text):
    assert parse_target(text).type in ("assigned", "stable")
