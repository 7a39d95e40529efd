"""What typer's own copy of click says around mubiao's messages, in Chinese: usage errors and help.

typer prints these in English, with no translation hook. `in_chinese` rewords the usage errors a clerk
meets (a mistyped command or option, a missing value, a value out of range) and leaves any other as it is;
`ChineseCommand` and `ChineseGroup` give the help's usage line and its --help option Chinese words.
"""

from __future__ import annotations

import re

from typer.core import TyperCommand, TyperGroup

_WHOLE = [
    (r"No such command '(?P<name>.+?)'\.(?: Did you mean '(?P<guess>.+?)'\?)?", "没有这个命令：{name}"),
    (
        r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<guess>.+)\)| Did you mean (?P<guess2>.+?)\?)?",
        "没有这个选项：{name}",
    ),
    (r"Option '(?P<name>.+?)' requires an argument\.", "选项 {name} 后面需要一个值"),
    (r"Option '(?P<name>.+?)' does not take a value\.", "选项 {name} 后面不接值"),
    (r"Missing option '(?P<name>.+?)'.*", "缺少选项 {name}"),
    (r"Missing argument '(?P<name>.+?)'.*", "缺少参数 {name}"),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.+)\)",
        "多出了无法识别的参数：{args}（含空格的值请用引号括起来）",
    ),
    (
        r"Invalid value for '(?P<name>[^']+)'(?: / '[^']+')*(?: \(env var: '(?P<env>.+?)'\))?: (?P<why>.+)",
        "{name} 的值无效：{why}",
    ),
]
_WHY = [
    (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
    (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
    (r"Input should be less than (\S+)", r"应小于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be (.+)", r"应为 \1"),
    (r"(?:Value error, )?'(.+?)' is not one of (.+)\.", r"'\1' 不是可选的值之一：\2"),
]


def in_chinese(message: str) -> str:
    """The usage error `message` in Chinese, with typer's guess of what was meant; else `message` itself."""
    for pattern, template in _WHOLE:
        if found := re.fullmatch(pattern, message.strip()):
            parts = {key: value for key, value in found.groupdict().items() if value}
            if "why" in parts:
                parts["why"] = _why(parts["why"])
            text = template.format(**{key: parts.get(key, "") for key in re.findall(r"{(\w+)}", template)})
            guess = parts.get("guess") or parts.get("guess2")
            return f"{text}，是不是想输入 {guess}？" if guess else text
    return message


def _why(text: str) -> str:
    for pattern, replacement in _WHY:
        if re.fullmatch(pattern, text):
            return re.sub(pattern, replacement, text)
    return text


class _ChineseHelp:
    """The usage line as 用法：…, and --help described in Chinese without a type beside it."""

    def get_usage(self, ctx) -> str:
        return super().get_usage(ctx).replace("Usage: ", "用法：", 1)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help, option.metavar = "显示本帮助并退出", ""
        return option


class ChineseCommand(_ChineseHelp, TyperCommand):
    pass


class ChineseGroup(_ChineseHelp, TyperGroup):
    pass
