"""Turn a kind's text table into typed, normalised columns, ready for validation.

Nothing is rejected here: a value that does not parse becomes NULL beside an
`*_error` column holding the parser's one-line message, and the kind's
Great Expectations suite decides (docs/submissions.md §2.10). Codes are resolved through
the references in the warehouse: a unit may be named instead of coded, an
indicator too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from mubiao.foundation.kinds import INDICATOR_VALUES, KINDS, PROJECT_PROGRESS, PROJECTS, TARGETS, Kind
from mubiao.foundation.vocabulary import (
    CATEGORY_SPELLINGS,
    INDICATOR_CODE_NAMES,
    TARGET_OUTCOMES,
    UNIT_TYPE_SPELLINGS,
    UNIT_TYPES,
)
from mubiao.pipelines.parsers.measures import (
    MeasureError,
    conversion_factor,
    measure_family,
    normalise_measure,
    parse_quantity,
)
from mubiao.pipelines.parsers.numbers import NumberError, parse_number
from mubiao.pipelines.parsers.obligations import FrequencyError, parse_frequency, split_reporters
from mubiao.pipelines.parsers.periods import PeriodError, parse_period
from mubiao.pipelines.parsers.target_phrases import parse_target

MONEY = "亿元"
AGGREGATIONS = {
    "reported": "reported",
    "sum": "sum",
    "上报": "reported",
    "报送": "reported",
    "责任单位报送": "reported",
    "汇总": "sum",
    "加总": "sum",
    "各单位加总": "sum",
}


@dataclass
class References:
    """What the warehouse already knows, for resolving and checking codes."""

    units: dict[str, str] = field(default_factory=dict)  # code → type
    unit_names: dict[str, str] = field(default_factory=dict)  # name → code
    indicators: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code → (name, measure, responsible)
    indicator_names: dict[str, str] = field(default_factory=dict)  # name → code
    project_totals: dict[str, float] = field(default_factory=dict)  # code → latest total investment, 亿元
    project_units: dict[str, str] = field(default_factory=dict)  # code → responsible unit


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    folded = unicodedata.normalize("NFKC", str(value)).strip()
    return folded or None


def _code(value: object) -> str | None:
    text = _text(value)
    return text.upper().replace(" ", "") if text else None


def _spread(codes: np.ndarray, results: list, index: pd.Index) -> pd.Series:
    """results[code] for each row's code (pd.factorize's; -1, a missing value, takes the last result).

    Text comes as a categorical, as `_categoricals` gives it; any other result, or None alone, as objects.
    """
    if any(isinstance(result, str) for result in results) and all(
        result is None or isinstance(result, str) for result in results
    ):
        text_codes, categories = pd.factorize(np.array(results, dtype=object))
        return pd.Series(pd.Categorical.from_codes(text_codes[codes], categories), index=index)
    array = np.empty(len(results), dtype=object)
    for position, result in enumerate(results):  # one by one, so that a tuple stays one value
        array[position] = result
    return pd.Series(array[codes], index=index, dtype=object)


def _each(series: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """`function` of each value, called once per distinct value (a column repeats a few codes over many rows);
    a missing value is passed as None."""
    codes, distinct = pd.factorize(series)
    return _spread(codes, [function(value) for value in [*distinct, None]], series.index)


def _pairs(
    first: pd.Series, second: pd.Series, function: Callable[[object, object], object]
) -> tuple[np.ndarray, list]:
    """Each row's code and `function` of each distinct pair of values (missing as None), for `_spread`."""
    first_codes, first_distinct = pd.factorize(first)
    second_codes, second_distinct = pd.factorize(second)
    firsts, seconds = [None, *first_distinct], [None, *second_distinct]  # a missing value's code, -1, becomes 0
    codes, pairs = pd.factorize((first_codes + 1) * len(seconds) + second_codes + 1)
    return codes, [function(firsts[f], seconds[s]) for f, s in zip(*divmod(pairs, len(seconds)), strict=True)]


def _each_pair(first: pd.Series, second: pd.Series, function: Callable[[object, object], object]) -> pd.Series:
    """`function` of each row's pair of values, called once per distinct pair; a missing value is passed as None."""
    codes, results = _pairs(first, second, function)
    return _spread(codes, results, first.index)


def _outcome(
    parse: Callable, errors: tuple[type[Exception], ...], label: str, required: bool
) -> Callable[..., tuple[object, str | None]]:
    """`parse` of a cell (and what else it takes) as (value, None), or (None, the message why not)."""
    missing = f"{label.removesuffix('：').removesuffix('无法识别')}为空" if required else None

    def outcome(raw: object, *context: object) -> tuple[object, str | None]:
        if raw is None:
            return None, missing
        try:
            return parse(raw, *context), None
        except errors as error:
            return None, f"{label}{error}"

    return outcome


def _split(codes: np.ndarray, found: list[tuple[object, str | None]], index: pd.Index) -> tuple[pd.Series, pd.Series]:
    return _spread(codes, [value for value, _ in found], index), _spread(
        codes, [message for _, message in found], index
    )


def _parsed(
    series: pd.Series, parse: Callable, errors: tuple[type[Exception], ...], label: str, required: bool
) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct value once; return (values, error messages)."""
    outcome = _outcome(parse, errors, label, required)
    codes, distinct = pd.factorize(series)
    return _split(codes, [outcome(value) for value in [*distinct, None]], series.index)


def _measures(series: pd.Series) -> pd.Series:
    """Canonical measure tokens; an unknown measure stays as written, for the error message."""
    return _each(series, lambda m: normalise_measure(_text(m)) or _text(m))


def _number(df: pd.DataFrame, column: str, label: str, required: bool) -> None:
    values, messages = _parsed(df[column], parse_number, (NumberError,), f"{label}：", required)
    df[f"{column}_num"] = values.astype("float64")
    df[f"{column}_error"] = messages


def _quantity(df: pd.DataFrame, column: str, label: str, required: bool) -> None:
    """A number in its row's measure as sent (`measure_sent`), which may end in 万 or 亿 (12.3万)."""
    outcome = _outcome(parse_quantity, (NumberError,), f"{label}：", required)
    codes, found = _pairs(df[column], df["measure_sent"], outcome)
    values, messages = _split(codes, found, df.index)
    df[f"{column}_num"] = values.astype("float64")
    df[f"{column}_error"] = messages


def _period(df: pd.DataFrame, column: str = "period", label: str = "统计期") -> None:
    values, messages = _parsed(df[column], parse_period, (PeriodError,), "", required=True)
    df["year"] = _each(values, lambda p: p[0] if p else None).astype("Int64")
    df["month"] = _each(values, lambda p: p[1] if p else None).astype("Int64")
    df[f"{column}_error"] = _each(messages, lambda m: f"{label}为空" if m == "为空" else m)


def _date(df: pd.DataFrame, column: str, label: str, required: bool) -> None:
    dates, messages = _parsed(df[column], pd.Timestamp, (ValueError,), f"{label}无法识别：", required)
    df[column] = pd.to_datetime(dates).dt.date
    df[f"{column}_error"] = messages


def _factor(sent: object, target: object) -> tuple[float | None, str | None]:
    if not isinstance(target, str):
        return None, None
    try:
        return float(conversion_factor(sent if isinstance(sent, str) else "", target)), None
    except MeasureError as error:
        return None, str(error)


def _convert(df: pd.DataFrame, target: pd.Series, kind: Kind) -> None:
    """Each of the kind's amounts (`Kind.measures`) in the target measure, from `<amount>_num` in the measure sent:
    the factor found once per distinct (sent, target) pair."""
    codes, found = _pairs(df["measure_sent"], target, _factor)
    df["measure_error"] = _spread(codes, [e for _, e in found], df.index)
    df["factor"] = _spread(codes, [f for f, _ in found], df.index).astype("float64")
    for column in kind.measures:
        df[column] = _significant(df[f"{column}_num"] * df["factor"])


def _significant(values: pd.Series, digits: int = 12) -> pd.Series:
    """Drop the binary noise of a unit conversion: 1243000 万元 → 124.3 亿元, not 124.30000000000001."""
    magnitude = np.floor(np.log10(np.abs(values.where(values != 0))))
    scale = 10.0 ** (digits - 1 - magnitude.fillna(0))
    return (np.round(values * scale) / scale).where(values != 0, values)


def _named(code: object, name: object, names: dict[str, str]) -> str | None:
    """A code as written, else the code that `name` has in `names` (else the name itself, to be reported)."""
    if found := _code(code):
        return found
    name = _text(name)
    return names.get(name, name) if name else None


def _resolve_unit(df: pd.DataFrame, refs: References, code_column: str, name_column: str | None) -> None:
    if name_column:
        df[code_column] = _each_pair(df[code_column], df[name_column], lambda c, n: _named(c, n, refs.unit_names))
    else:
        df[code_column] = _each(df[code_column], _code)


def units(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    df["unit_code"] = _each(df["unit_code"], _code)
    df["unit_name"] = _each(df["unit_name"], _text)
    df["unit_type"] = _each(df["unit_type"], lambda t: UNIT_TYPE_SPELLINGS.get(_text(t) or "", _text(t)))
    return df


def indicators(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    df["indicator_code"] = _each(df["indicator_code"], _code)
    df["indicator_name"] = _each(df["indicator_name"], _text)
    df["measure"] = _measures(df["measure"])
    df["measure_known"] = _each(df["measure"], lambda m: bool(m) and measure_family(m) is not None).astype(bool)
    df["aggregation"] = _each(df["aggregation"], lambda a: AGGREGATIONS.get((_text(a) or "").lower(), _text(a)))
    df["responsible_unit"] = _each(df["responsible_unit"], _code)
    months, messages = _parsed(df["frequency"], parse_frequency, (FrequencyError,), "", required=False)
    df["reporting_months"] = months.map(lambda m: ",".join(map(str, m)) if m else None)
    df["frequency_error"] = messages
    reporters = _each(df["reporting_units"], lambda r: split_reporters(r) if _text(r) else [])
    df["reporting_units"] = reporters.map(lambda r: ",".join(r) or None)
    known = set(UNIT_TYPES) | set(refs.units)
    df["reporting_units_unknown"] = reporters.map(lambda r: "、".join(t for t in r if t not in known) or None)
    return df


def _resolve_indicator(df: pd.DataFrame, refs: References) -> pd.Series:
    df["indicator_code"] = _each_pair(
        df["indicator_code"], df["indicator_name"], lambda c, n: _named(c, n, refs.indicator_names)
    )
    measures = _each(df["indicator_code"], lambda c: refs.indicators[c][1] if c in refs.indicators else "")
    return measures.astype(object).where(measures != "", None)


def indicator_values(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    df["unit_given_as"] = _each(df["unit_code"], lambda code: "单位代码" if _code(code) else "单位名称")
    _resolve_unit(df, refs, "unit_code", "unit_name")
    catalogue_measure = _resolve_indicator(df, refs)
    _period(df)
    df["measure_sent"] = _measures(df["measure"])
    _quantity(df, "value", "本期累计值", required=True)
    _number(df, "yoy_pct", "同比增长", required=False)
    _convert(df, catalogue_measure, INDICATOR_VALUES)
    df["measure"] = catalogue_measure
    df["may_be_negative"] = _each(
        catalogue_measure, lambda m: isinstance(m, str) and measure_family(m) == "percent"
    ).astype(bool)
    df["note"] = _each(df["note"], _text)
    return df


def _reference_code(reference: str, refs: References) -> str:
    """The indicator a sync target names: a code, a name, or the one name ending in it (地区生产总值 for 生产总值)."""
    if reference in refs.indicators:
        return reference
    if reference in refs.indicator_names:
        return refs.indicator_names[reference]
    reference = INDICATOR_CODE_NAMES.get(reference, reference)
    endings = [code for name, code in refs.indicator_names.items() if name.endswith(reference)]
    return endings[0] if len(endings) == 1 else reference


def targets(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    _number(df, "year", "年度", required=True)
    df["year"] = df["year_num"].astype("Int64")
    catalogue_measure = _resolve_indicator(df, refs)
    df["target_text"] = _each(df["target_text"], _text)
    specs = _each(df["target_text"], lambda t: parse_target(t or ""))
    df["target_type"] = specs.map(lambda s: s.type)
    df["target_num"] = specs.map(lambda s: s.value).astype("float64")
    df["tolerance"] = specs.map(lambda s: s.tolerance).astype("float64")
    df["reference"] = specs.map(lambda s: _reference_code(s.reference, refs) if s.reference else None)
    df["measure_sent"] = [s.measure if s.type == "level" else m for s, m in zip(specs, catalogue_measure, strict=True)]
    _convert(df, catalogue_measure, TARGETS)
    df["responsible_unit"] = _each(df["responsible_unit"], _code)
    df["outcome"] = _each(df["outcome"], lambda o: TARGET_OUTCOMES.get(_text(o) or "", _text(o)))
    return df


def projects(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    _number(df, "year", "年度", required=True)
    df["year"] = df["year_num"].astype("Int64")
    df["project_code"] = _each(df["project_code"], _code)
    df["project_name"] = _each(df["project_name"], _text)
    df["category"] = _each(
        df["category"], lambda c: CATEGORY_SPELLINGS.get((_text(c) or "").removesuffix("项目"), _text(c))
    )
    df["owner"] = _each(df["owner"], _text)
    _resolve_unit(df, refs, "responsible_unit", None)
    df["measure_sent"] = _measures(df["measure"])
    _quantity(df, "total_investment", "计划总投资", required=True)
    _quantity(df, "annual_plan", "年度计划投资", required=False)
    _convert(df, pd.Series(MONEY, index=df.index), PROJECTS)
    df["batch"] = _each(df["batch"], _text)
    starts, messages = _parsed(df["planned_start"], parse_period, (PeriodError,), "计划开工", required=False)
    df["planned_start_month"] = _each(starts, lambda p: p[1] if p else None).astype("Int64")
    df["planned_start_error"] = messages
    return df


def project_progress(df: pd.DataFrame, refs: References) -> pd.DataFrame:
    df["project_code"] = _each(df["project_code"], _code)
    df["project_total"] = df["project_code"].map(refs.project_totals).astype("float64")
    _period(df)
    df["measure_sent"] = _measures(df["measure"])
    _quantity(df, "completed_ytd", "本年累计完成投资", required=True)
    _convert(df, pd.Series(MONEY, index=df.index), PROJECT_PROGRESS)
    df["status"] = _each(df["status"], _text)
    _date(df, "start_date", "实际开工日期", required=False)
    df["note"] = _each(df["note"], _text)
    return df


NORMALISERS: dict[str, Callable[[pd.DataFrame, References], pd.DataFrame]] = {
    function.__name__: function
    for function in (units, indicators, indicator_values, targets, projects, project_progress)
}
"""The kinds' own normalising functions, by the name a kind's spec gives (`Kind.normaliser`)."""


def by_type(kind: Kind, df: pd.DataFrame) -> pd.DataFrame:
    """Each column read as its spec's `type` says, the measures before the quantities in them: a kind without a
    function of its own. A number, quantity or date gives `<name>_num` (or the date) and `<name>_error`, a period
    `year`, `month` and `<name>_error`."""
    for column in sorted(kind.columns, key=lambda c: c.type != "measure"):
        name, label = column.name, column.label
        if column.type in ("text", "code"):
            df[name] = _each(df[name], _text if column.type == "text" else _code)
        elif column.type == "measure":
            df["measure_sent"] = _measures(df[name])
        elif column.type in ("number", "quantity"):
            (_number if column.type == "number" else _quantity)(df, name, label, column.required)
        elif column.type == "period":
            _period(df, name, label)
        else:
            _date(df, name, label, column.required)
    return df


def normalise(kind: str, table: pa.Table, refs: References) -> pd.DataFrame:
    """Typed columns for one kind's batch; the index is the batch row position.

    The raw JSON of each row stays in the Arrow table, which the loader writes: as Python strings it would
    cost memory and time for nothing.
    """
    df = pd.DataFrame(
        {
            name: _categoricals(column)
            for name, column in zip(table.column_names, table.columns, strict=True)
            if name != "raw"
        }
    )
    spec = KINDS[kind]
    return NORMALISERS[spec.normaliser](df, refs) if spec.normaliser else by_type(spec, df)


def _categoricals(column: pa.ChunkedArray) -> pd.Series:
    """A column as pandas: text as a categorical, anything else as Python objects.

    A column repeats a few codes over many rows: Arrow finds them, and each row keeps a number. GX checks and
    DuckDB reads such a column faster than one of strings; `_each` and `_spread` keep text categorical through
    the normalising.
    """
    if not pa.types.is_string(column.type):
        return pd.Series(column.to_numpy(), dtype=object)
    encoded = column.combine_chunks().dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy()
    return pd.Series(pd.Categorical.from_codes(codes, encoded.dictionary.to_numpy(zero_copy_only=False)))
