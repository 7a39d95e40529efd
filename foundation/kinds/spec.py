"""What a submission kind is, said once: the shape of the spec each module of this package fills in.

Header recognition (`headers`), the normalising (pipelines/loading/normalise.py), the staging and raw tables
(warehouse/kind_tables.py), the Great Expectations suite (expectations/) and the months a build rewrites
(warehouse/build_periods.py) all read a kind's `Kind`; a new kind is a new `Kind`, registered.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPES = ("text", "code", "number", "period", "date", "measure", "quantity")
"""How a cell is read: text as written (folded), a code (upper case, no spaces), a number, a period (its year and
month), a date, a measure (计量单位, as a canonical token) or a quantity in its row's measure (12.3万)."""


@dataclass(frozen=True)
class Column:
    """A column of the file as the office writes it: its English name, its spellings and how its cells read."""

    name: str
    spellings: tuple[str, ...]
    required: bool = False
    """A header without it is not of this kind."""
    type: str = "text"

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: type {self.type!r} is not one of {TYPES}")

    @property
    def label(self) -> str:
        """The header the office writes (本期累计值), else the English name."""
        return next((spelling for spelling in self.spellings if not spelling.isascii()), self.name)


def col(name: str, *spellings: str, required: bool = False, type: str = "text") -> Column:
    """A column spelled as its name and `spellings` (Chinese first, then synonyms)."""
    return Column(name, (name, *spellings), required, type)


@dataclass(frozen=True)
class Staged:
    """A column of staging.<kind>: its SQL type (with `not null` when a row must have it), what it holds in the
    office's words, and the normalised batch's column it is taken from."""

    name: str
    sql: str
    description: str
    source: str = ""

    @property
    def taken_from(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class Expectation:
    """One Great Expectations expectation on the normalised batch. `check` names it on the validation pages (what
    it asks of every row); `reason` is the Chinese message a failing row carries, `{column}` filled from the row."""

    type: str
    kwargs: dict
    check: str
    reason: str


def not_null(column: str, check: str, reason: str) -> Expectation:
    return Expectation("expect_column_values_to_not_be_null", {"column": column}, check, reason)


def null(column: str, check: str, reason: str) -> Expectation:
    """The column is empty: an `*_error` column, which holds a parser's message where a cell did not parse."""
    return Expectation("expect_column_values_to_be_null", {"column": column}, check, reason)


def in_set(column: str, values: str | tuple, check: str, reason: str) -> Expectation:
    """The column's values are among `values`, or a suite parameter's values when `values` names one."""
    value_set = {"$PARAMETER": values} if isinstance(values, str) else list(values)
    return Expectation("expect_column_values_to_be_in_set", {"column": column, "value_set": value_set}, check, reason)


def between(
    column: str, check: str, reason: str, minimum: float | None = None, maximum: float | None = None, when: str = ""
) -> Expectation:
    """The column's values lie between `minimum` and `maximum`, on the rows that `when` (a pandas query) selects."""
    kwargs: dict = {"column": column}
    kwargs.update({"min_value": minimum} if minimum is not None else {})
    kwargs.update({"max_value": maximum} if maximum is not None else {})
    kwargs.update({"row_condition": when, "condition_parser": "pandas"} if when else {})
    return Expectation("expect_column_values_to_be_between", kwargs, check, reason)


def at_least(column: str, other: str, check: str, reason: str) -> Expectation:
    """`column` is at least `other`, where both have a value."""
    kwargs = {"column_A": column, "column_B": other, "or_equal": True, "ignore_row_if": "either_value_is_missing"}
    return Expectation("expect_column_pair_values_a_to_be_greater_than_b", kwargs, check, reason)


@dataclass(frozen=True, eq=False)  # a kind is itself: its expectations hold dicts
class Kind:
    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Columns (after normalising) that identify a row; twice in one file is an error (`unique`)."""
    description: str
    """staging.<kind>'s description: what a row is."""
    staging: tuple[Staged, ...]
    """staging.<kind>'s columns after sha256, sheet and row_number, in order."""
    expectations: tuple[Expectation, ...]
    unique: tuple[str, str]
    """The check and the reason of the key's uniqueness in a file, the suite's last expectation."""
    either: tuple[tuple[str, ...], ...] = ()
    """Columns of which a header needs one or the other: a unit by its code or its name."""
    by_month: bool = False
    """Each row is about a (year, month), the staging columns `year` and `month`: the models kept by month rebuild
    only the months a run's files of such kinds touched (warehouse/build_periods.py)."""
    normaliser: str = ""
    """The kind's own normalising function in pipelines/loading/normalise.py; without one, each column is read
    as its `type` says."""
    unit_from: tuple[str, ...] = ()
    """The columns that say which unit a row is about, the first with a value winning: a unit's code, or a
    project's or an indicator's code, standing for the unit responsible for it."""
    measures: tuple[str, ...] = ()
    """The amounts converted into the kind's measure (the catalogue's, or 亿元): each one's `<name>_num`, as sent,
    becomes `<name>`."""

    def __post_init__(self) -> None:
        types = {column.type for column in self.columns}
        if "quantity" in types and "measure" not in types:
            raise ValueError(f"{self.name}: a quantity is read in its row's measure, and no column is a measure")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def unique_expectation(self) -> Expectation:
        kwargs = {"column_list": ["sha256", *self.key], "ignore_row_if": "any_value_is_missing"}
        return Expectation("expect_compound_columns_to_be_unique", kwargs, *self.unique)
