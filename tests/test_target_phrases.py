import dataclasses

import pytest

from pipelines.target_phrases import TargetSpec, parse_target

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
