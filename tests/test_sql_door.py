"""The read-only SQL door (`mubiao sql`, issue 7): every class of attack is refused and changes nothing;
the timeout, the row limit and the neutralised CSV export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from mubiao.cli.main import app
from mubiao.report.safe_cells import neutralise
from tests.conftest import query


def sql(warehouse: Path, statement: str, *options: str, expect: int = 0):
    result = CliRunner().invoke(app, ["sql", statement, "--warehouse", str(warehouse), *options])
    assert result.exit_code == expect, result.output + repr(result.exception)
    return result


def fingerprint(warehouse: Path) -> tuple[str, list[tuple]]:
    """The warehouse file's sha256 and its tables with their row counts."""
    tables = [
        (r["schema_name"], r["table_name"], r["estimated_size"])
        for r in query(warehouse, "select schema_name, table_name, estimated_size from duckdb_tables() order by all")
    ]
    return hashlib.sha256(warehouse.read_bytes()).hexdigest(), tables


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- normal queries still work ------------------------------------------------------------------


def test_a_mart_reads_as_a_table(warehouse):
    result = sql(warehouse, "select year, indicator_name, value, yoy_pct from marts.annual_review order by year")
    assert "生产总值" in result.stdout and "124.3" in result.stdout and "9.9" in result.stdout
    assert "2 行" in result.stdout


@pytest.mark.parametrize(
    "statement",
    [
        "select file_name, status from audit.files order by file_name",
        "  select file_name, status from audit.files order by file_name ;  ",
        "with f as (select * from audit.files) select file_name, status from f order by 1",
    ],
)
def test_a_select_reads_the_audit_tables(warehouse, statement):
    result = sql(warehouse, statement, "--format", "json")
    assert json.loads(result.stdout) == [
        {"file_name": "catalogue.csv", "status": "loaded"},
        {"file_name": "units.csv", "status": "loaded"},
        {"file_name": "values.csv", "status": "loaded"},
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "describe marts.annual_review",
        "pragma table_info('marts.annual_review')",
        "explain select * from marts.annual_review",
        "show all tables",
        "summarize marts.annual_review",
    ],
)
def test_catalogue_statements_are_allowed(warehouse, statement):
    assert sql(warehouse, statement, "--format", "csv").stdout.count("\n") >= 2


# --- attacks: refused with a one-line Chinese message, nothing changed ---------------------------

SCHEMAS = ("raw", "staging", "core", "marts", "audit", "main")
SECURITY_SETTINGS = (
    "enable_external_access",
    "lock_configuration",
    "disabled_filesystems",
    "allowed_directories",
    "allowed_paths",
    "autoinstall_known_extensions",
    "autoload_known_extensions",
    "allow_community_extensions",
    "allow_unsigned_extensions",
    "allow_persistent_secrets",
    "memory_limit",
    "threads",
    "temp_directory",
    "max_temp_directory_size",
    "custom_extension_repository",
    "enable_http_logging",
    "http_logging_output",
)
FILE_FUNCTIONS = (
    "read_csv",
    "read_csv_auto",
    "sniff_csv",
    "read_json",
    "read_json_auto",
    "read_ndjson",
    "read_ndjson_auto",
    "read_json_objects",
    "read_parquet",
    "parquet_scan",
    "parquet_metadata",
    "parquet_schema",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "read_text",
    "read_blob",
    "glob",
)
ATTACKS_BY_CLASS = {
    "DDL and DML on every schema": [
        *(f"create table {s}.evil as select 1 as a" for s in SCHEMAS),
        *(f"insert into {s}.evil values (1)" for s in SCHEMAS),
        *(f"drop schema {s} cascade" for s in SCHEMAS),
        "insert into audit.files (file_name) values ('x')",
        "update marts.annual_review set value = 0",
        "delete from audit.quarantine",
        "drop table marts.annual_review",
        "truncate audit.files",
        "alter table marts.annual_review add column evil int",
        "alter table audit.files rename to gone",
        "comment on table marts.annual_review is 'evil'",
        "create view marts.evil as select 1 as a",
        "create or replace table core.evil as select 1",
        "create index evil on audit.files (sha256)",
        "merge into marts.annual_review using (select 1) on false when not matched then do nothing",
        "vacuum",
        "analyze",
    ],
    "temp objects, macros and sequences": [
        "create temp table evil as select 1 as a",
        "create temp view evil as select 1 as a",
        "create macro evil(a) as a",
        "create temp macro evil(a) as a",
        "create macro evil() as table select 1",
        "create sequence evil",
        "create temp sequence evil",
        "create type evil as enum ('a')",
        "create schema evil",
        "create persistent secret evil (type s3, key_id 'x', secret 'y')",
        "create secret evil (type s3, key_id 'x', secret 'y')",
    ],
    "COPY, EXPORT and IMPORT": [
        "copy marts.annual_review to '{tmp}/out.csv'",
        "copy (select 1) to '{tmp}/out.parquet' (format parquet)",
        "copy marts.annual_review from '/etc/passwd'",
        "copy marts.annual_review from '{tmp}/secret.csv'",
        "export database '{tmp}/export'",
        "import database '{tmp}'",
        "copy from database warehouse to memory",
    ],
    "ATTACH and DETACH": [
        "attach '{tmp}/other.duckdb' as other",
        "attach ':memory:' as other",
        "attach '{wh}' as again",
        "attach '{tmp}/other.duckdb' as other (read_only)",
        "detach warehouse",
        "use memory",
    ],
    "INSTALL and LOAD": [
        "install httpfs",
        "force install httpfs from 'http://example.com'",
        "install '{tmp}/evil.duckdb_extension'",
        "load httpfs",
        "load '{tmp}/evil.duckdb_extension'",
        "update extensions",
    ],
    "SET, RESET and PRAGMA of every security setting": [
        *(f"set {name} = 'x'" for name in SECURITY_SETTINGS),
        *(f"reset {name}" for name in SECURITY_SETTINGS[:6]),
        "set global enable_external_access = true",
        "set session memory_limit = '100GB'",
        "pragma threads = 1",
        "pragma enable_profiling",
        "pragma memory_limit = '100GB'",
        "set variable evil = 1",
    ],
    "every file and URL function": [
        *(f"select * from {f}('/etc/passwd')" for f in FILE_FUNCTIONS),
        *(f"select * from {f}('{{wh}}')" for f in ("read_blob", "read_text", "read_csv", "parquet_metadata")),
        "select * from read_blob('{wh}.wal')",
        "select * from read_text('{wh}.lock')",
        "select * from read_text(['/etc/passwd', '/etc/hostname'])",
        "select * from glob('{tmp}/*')",
        "select * from read_csv('https://example.com/x.csv')",
        "select * from read_parquet('s3://bucket/key.parquet')",
        "select * from read_json('http://127.0.0.1:1/x.json')",
        "select * from read_csv('{tmp}/secret.csv')",
        "call read_csv('{tmp}/secret.csv')",
        "select * from duckdb_extensions()",
    ],
    "replacement scans": [
        "select * from '{tmp}/secret.csv'",
        "select * from '{wh}'",
        "select * from 'https://example.com/x.csv'",
        "select * from '/etc/passwd'",
        "select * from '{tmp}/secret.csv' union all select 'x'",
    ],
    "secrets": [
        "select * from duckdb_secrets()",
        "call duckdb_secrets()",
        'select name from "DuckDB_Secrets"(redact := false)',
        "select * from which_secret('s3://bucket/key', 's3')",
        "select * from query('select * from duckdb_secrets()')",
    ],
    "getenv": [
        "select getenv('HOME')",
        "select getenv('PATH')",
        "select * from (select getenv('PREFECT_API_URL'))",
    ],
    "several statements in one": [
        "select 1; drop table marts.annual_review",
        "select 1; select 2",
        "select 1;\ncopy (select 1) to '{tmp}/x.csv'",
        "begin transaction",
        "commit",
        "rollback",
        "prepare evil as select 1",
        "execute evil",
        "select ';'; delete from audit.files",
    ],
    "comments, case and whitespace tricks": [
        "/* harmless */ drop table marts.annual_review",
        "DrOp TaBlE marts.annual_review",
        "\n\t  delete from audit.files",
        "-- a comment\ncopy marts.annual_review to '{tmp}/out.csv'",
        "/*/ select 1 /*/ drop table marts.annual_review",
        "select 1 /* ; */; drop table marts.annual_review",
        "  ;  ",
    ],
}
ATTACKS = [(cls, statement) for cls, statements in ATTACKS_BY_CLASS.items() for statement in statements]
BOMBS = [
    "select count(*) from range(1000000000000)",
    "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
    "select count(*) from range(100000) a, range(100000) b, range(100000) c",
    "select list(range) from range(2000000000)",
]


def test_the_door_has_a_hundred_attacks_in_every_class():
    assert len(ATTACKS) + len(BOMBS) >= 100 and all(len(s) >= 3 for s in ATTACKS_BY_CLASS.values())


@pytest.mark.parametrize(("kind", "statement"), ATTACKS, ids=[f"{a[0][:12]}: {a[1][:40]}" for a in ATTACKS])
def test_an_attack_is_refused_and_changes_nothing(warehouse, tmp_path, kind, statement):
    (tmp_path / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    before, files_before = fingerprint(warehouse), tree(warehouse.parent)
    result = sql(warehouse, statement.format(tmp=tmp_path, wh=warehouse), expect=1)
    message = result.output.strip()
    assert message.startswith("错误：") and "\n" not in message and "Traceback" not in message
    assert fingerprint(warehouse) == before
    assert tree(warehouse.parent) == files_before
    assert "hunter2" not in result.output
    assert tree(tmp_path) == ["secret.csv"], "nothing may be written"


def test_the_settings_are_the_barrier_behind_the_parser(warehouse, tmp_path):
    """Even a statement the parser lets through (CALL, a table function) cannot reach a file."""
    (tmp_path / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    result = sql(warehouse, f"call read_csv('{tmp_path}/secret.csv')", expect=1)
    assert "不允许读取本机文件或网址" in result.output and "hunter2" not in result.output
    settings = json.loads(
        sql(
            warehouse,
            "select name, value from duckdb_settings() where name in "
            "('enable_external_access', 'lock_configuration', 'access_mode') "
            "order by name",
            "--format",
            "json",
        ).stdout
    )
    assert settings == [
        {"name": "access_mode", "value": "read_only"},
        {"name": "enable_external_access", "value": "false"},
        {"name": "lock_configuration", "value": "true"},
    ]


def test_secrets_are_refused_and_never_listed(warehouse, tmp_path, monkeypatch):
    """An office that keeps a DuckDB secret (S3, a database) never sees it through the door, asked by any name."""
    monkeypatch.setenv("HOME", str(tmp_path))
    with duckdb.connect() as con:
        con.execute("create persistent secret office_store (type http, bearer_token 'hunter2')")
    result = sql(warehouse, "select * from duckdb_secrets()", expect=1)
    assert result.output.strip() == "错误：只读查询：不允许查看密钥（duckdb_secrets）"
    hidden = sql(warehouse, "select name from query('select name from duckdb_' || 'secrets()')", "--format", "json")
    assert json.loads(hidden.stdout) == []


def test_a_query_past_the_memory_limit_says_so(warehouse):
    result = sql(
        warehouse, "select count(*) from range(1000000000) a, range(1000000000) b", "--timeout", "60", expect=1
    )
    assert result.output.strip() == "错误：查询所需内存超过 2GB 的上限，已停止（请缩小查询范围）"


def test_a_syntax_error_is_one_line(warehouse):
    result = sql(warehouse, "selec * from marts.annual_review", expect=1)
    assert result.output.strip().startswith("错误：SQL 语法错误") and "\n" not in result.output.strip()


# --- timeout and limit ----------------------------------------------------------------------------


def test_the_timeout_stops_a_runaway_query(warehouse):
    started = time.monotonic()
    runaway = "select count(*) from range(1000000000) a, range(100000) b"  # endless, in constant memory
    result = sql(warehouse, runaway, "--timeout", "1", expect=1)
    elapsed = time.monotonic() - started
    assert result.output.strip() == "错误：查询超过 1 秒，已停止（可用 --timeout 调大）"
    assert 0.9 < elapsed < 5


def test_table_output_stops_at_the_limit_and_says_how_many_were_cut(warehouse):
    result = sql(warehouse, "select range as n from range(2500)", "--limit", "1000")
    assert "共 2,500 行，只显示前 1,000 行，截去 1,500 行（可用 --limit 调大）" in result.stdout


def test_the_limit_can_be_raised(warehouse):
    result = sql(warehouse, "select range as n from range(2500)", "--limit", "5000")
    assert "2500 行" in result.stdout and "截去" not in result.stderr


def test_csv_and_json_obey_the_limit(warehouse):
    csv_out = sql(warehouse, "select range as n from range(100)", "--format", "csv", "--limit", "3")
    assert csv_out.stdout.splitlines() == ["\ufeffn", "0", "1", "2"]
    assert "截去 97 行" in csv_out.stderr
    json_out = sql(warehouse, "select range as n from range(100)", "--format", "json", "--limit", "2")
    assert json.loads(json_out.stdout) == [{"n": 0}, {"n": 1}]


# --- safe CSV export ------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_but_not_numbers(warehouse):
    statement = (
        "select '=1+1' as a, '+cmd|calc' as b, '-2+3' as c, '@SUM(A1)' as d, chr(9) || '=x' as e, "
        "chr(13) || 'y' as f, -5 as g, '-5' as h, -2.5::double as i, 'plain' as j, "
        '\'=HYPERLINK("http://x")\' as "=col"'
    )
    rows = list(csv.reader(io.StringIO(sql(warehouse, statement, "--format", "csv").stdout.removeprefix("\ufeff"))))
    assert rows == [
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "'=col"],
        [
            "'=1+1",
            "'+cmd|calc",
            "'-2+3",
            "'@SUM(A1)",
            "'\t=x",
            "'\ry",
            "-5",
            "-5",
            "-2.5",
            "plain",
            '\'=HYPERLINK("http://x")',
        ],
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("-5", "-5"),
        ("-5.5e3", "-5.5e3"),
        ("-5 ", "'-5 "),
        ("- 5", "'- 5"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_neutralise(value, written):
    assert neutralise(value) == written


@pytest.mark.parametrize("statement", BOMBS)
def test_a_resource_bomb_stops_within_its_timeout_or_memory(warehouse, statement):
    started = time.monotonic()
    message = sql(warehouse, statement, "--timeout", "1", expect=1).output.strip()
    assert message in (
        "错误：查询超过 1 秒，已停止（可用 --timeout 调大）",
        "错误：查询所需内存超过 2GB 的上限，已停止（请缩小查询范围）",
    ), message
    assert time.monotonic() - started < 10


def test_a_query_may_begin_with_a_comment(warehouse):
    assert "42" in sql(warehouse, "-- 说明：一个注释\nselect 42 as answer").stdout
    assert "43" in sql(warehouse, "--注释\nselect 43 as answer").stdout


def test_the_count_of_cut_rows_is_true_at_a_hundred_million(warehouse):
    result = sql(warehouse, "select * from range(100000000)", "--limit", "10")
    assert "共 100,000,000 行，只显示前 10 行，截去 99,999,990 行" in result.stdout
    exported = sql(warehouse, "select * from range(100000000)", "--limit", "10", "--format", "csv")
    assert "截去 99,999,990 行" in exported.stderr and len(exported.stdout.splitlines()) == 11
