"""The warehouse's SQL models, read from their files: what each is, what it reads, and the order they build in.

Every `.sql` file in a subfolder of the models' folder is one model: `<schema>/<name>.sql` makes `<schema>.<name>`,
and its dictionary block (warehouse/dictionary.py) says what the model is on its @model line:

    -- @table core.indicator_months 指标月份齐全情况：一行一个……
    -- @model kind=table_by_month grain=year,month,indicator_code parameters=params.build_months
    -- @column year 年份

Adding a model is adding a file. Whether it is a view or a table, or kept by month, comes from its header; when it
builds comes from what it reads (warehouse/lineage.py), so no list names the models. A model reads the data and the
parameter tables its header names (params.*, warehouse/parameters.py), never a session variable. A file whose
@table name holds `{kind}` is a template, made once for each submission kind (foundation/kinds/).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import duckdb

from mubiao.foundation.kinds import KINDS
from mubiao.warehouse.dictionary import BY_MONTH, VIEW, Described, DictionaryError, model_block
from mubiao.warehouse.kind_tables import kinds_ddl
from mubiao.warehouse.lineage import Reads, build_order, reads, upstream
from mubiao.warehouse.rounded import rounded_name

PARAMETERS = "params"
"""The schema of the parameter tables."""
MONTHS = f"{PARAMETERS}.build_months"
"""The months a build writes of the tables kept by month."""
Folder = Traversable | Path | None
"""A folder of models: schema.sql and a subfolder per schema; None for the package's own."""


@dataclass(frozen=True)
class Model:
    name: str
    """schema.name"""
    sql: str
    described: Described
    inputs: frozenset[str]
    """The schema.table names its SQL reads."""
    over_tables: bool
    """A view that reads a built table, directly or through other views: made after the build, not before it."""
    template_of: str | None = None
    """The submission kind a template's model was made for."""

    @property
    def kind(self) -> str:
        return self.described.header.kind


def models_folder() -> Traversable:
    """The package's own models: warehouse/core, marts and audit."""
    return resources.files(__package__)


def read_models(folder: Folder = None) -> list[Model]:
    """Every model of `folder` (the package's by default), in build order: each after every model it reads."""
    return list(_package_models(tuple(KINDS)) if folder is None else _read(folder))


def model_named(name: str) -> Model:
    """The package's model `name` (schema.name)."""
    [model] = [model for model in read_models() if model.name == name]
    return model


@cache
def _package_models(kinds: tuple[str, ...]) -> tuple[Model, ...]:
    """The package's models while the kinds are `kinds` (a template is made once per kind)."""
    return _read(models_folder())


def _read(folder: Traversable | Path) -> tuple[Model, ...]:
    texts = {}
    for schema, file in _sql_files(folder):
        texts.update(_expand(f"{schema}.{file.name.removesuffix('.sql')}", file.read_text("utf-8")))
    with duckdb.connect() as con:
        found = {name: reads(con, sql) for name, (sql, _) in texts.items()}
    described = {name: _checked(name, sql, found[name]) for name, (sql, _) in texts.items()}
    inputs = {name: found[name].tables for name in texts}
    built = {name for name, block in described.items() if block.header.kind != VIEW}
    return tuple(
        Model(
            name,
            texts[name][0],
            described[name],
            frozenset(inputs[name]),
            described[name].header.kind == VIEW and bool(upstream(inputs, name) & built),
            texts[name][1],
        )
        for name in build_order(inputs)
    )


def _sql_files(folder: Traversable | Path) -> list[tuple[str, Traversable]]:
    """(schema, file) for each .sql file of the folder's subfolders, in path order; the folder's own (schema.sql)
    holds the stored tables."""
    layers = sorted((entry for entry in folder.iterdir() if entry.is_dir()), key=lambda entry: entry.name)
    return [
        (layer.name, file)
        for layer in layers
        for file in sorted(layer.iterdir(), key=lambda file: file.name)
        if file.name.endswith(".sql")
    ]


def _expand(name: str, sql: str) -> dict[str, tuple[str, str | None]]:
    """name → (its SQL, the kind it was made for): one model, or a template's model for every kind."""
    if "{kind}" not in sql:
        return {name: (sql, None)}
    schema = name.split(".")[0]
    return {
        f"{schema}.{kind.name}": (sql.format(kind=kind.name, key=", ".join(kind.key)), kind.name)
        for kind in KINDS.values()
    }


def _checked(name: str, sql: str, found: Reads) -> Described:
    """The model's block, with a header that agrees with its SQL."""
    block = model_block(sql, name)
    header = block.header
    if header is None:
        raise DictionaryError(f"{name}: no '-- @model kind=… grain=…' line")
    if found.hidden:
        raise DictionaryError(
            f"{name}: reads {sorted(found.hidden)}; a model reads schema.table, and parameters as params.*"
        )
    read = sorted(table for table in found.tables if table.startswith(f"{PARAMETERS}."))
    if sorted(header.parameters) != read:
        raise DictionaryError(f"{name}: parameters={','.join(header.parameters)}, but it reads {read or 'none'}")
    if header.kind == BY_MONTH and not ({"year", "month"} <= block.columns.keys() and MONTHS in read):
        raise DictionaryError(f"{name}: a table kept by month has year and month columns and reads {MONTHS}")
    if header.rounded and header.kind == VIEW:
        raise DictionaryError(f"{name}: only a table has a rounded view")
    return block


def model_inputs() -> dict[str, set[str]]:
    """schema.name → the tables and models it reads directly, for every model and rounded view."""
    models = read_models()
    inputs = {model.name: set(model.inputs) for model in models}
    return inputs | {rounded_name(model.name): {model.name} for model in models if model.described.header.rounded}


def models_sha256(folder: Folder = None) -> str:
    """The SHA-256 of the kinds' tables, schema.sql and every model's file: what a build by month must share with
    the last."""
    folder = folder or models_folder()
    digest = hashlib.sha256(kinds_ddl().encode())
    for layer, file in [(folder.name, folder.joinpath("schema.sql")), *_sql_files(folder)]:
        digest.update(f"{layer}/{file.name}\0".encode() + file.read_bytes())
    return digest.hexdigest()
