"""The read-only SQL door (`mubiao sql`, issue 7): every class of attack is refused and changes nothing;
the timeout, the row limit and the neutralised CSV export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mubiao.cli import app
from mubiao.safe_cells import neutralise
from tests.conftest import query

INBOX = {
    "units.csv": "单位代码,单位名称,单位类型\nU1,统计局,区直部门\n",
    "catalogue.csv": "指标代码,指标名称,计量单位,汇总方式,责任单位\nGDP,生产总值,亿元,reported,U1\n",
    "values.csv": "单位代码,指标代码,统计期,本期累计值,计量单位,同比增长\nU1,GDP,2016-12,113.1,亿元,\n"
                  "U1,GDP,2017-12,124.3,亿元,9.9\n",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    for name, text in INBOX.items():
        (inbox / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path_factory.mktemp("sql-door-wh") / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return warehouse


def sql(warehouse: Path, statement: str, *options: str, expect: int = 0):
    result = CliRunner().invoke(app, ["sql", statement, "--warehouse", str(warehouse), *options])
    assert result.exit_code == expect, result.output + repr(result.exception)
    return result


def fingerprint(warehouse: Path) -> tuple[str, list[tuple]]:
    """The warehouse file's sha256 and its tables with their row counts."""
    tables = [(r["schema_name"], r["table_name"], r["estimated_size"]) for r in query(
        warehouse, "select schema_name, table_name, estimated_size from duckdb_tables() order by all")]
    return hashlib.sha256(warehouse.read_bytes()).hexdigest(), tables


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- normal queries still work ------------------------------------------------------------------

def test_a_mart_reads_as_a_table(warehouse):
    result = sql(warehouse, "select year, indicator_name, value, yoy_pct from marts.annual_review order by year")
    assert "生产总值" in result.stdout and "124.3" in result.stdout and "9.9" in result.stdout
    assert "2 行" in result.stdout


@pytest.mark.parametrize("statement", [
    "select file_name, status from audit.files order by file_name",
    "  select file_name, status from audit.files order by file_name ;  ",
    "with f as (select * from audit.files) select file_name, status from f order by 1",
])
def test_a_select_reads_the_audit_tables(warehouse, statement):
    result = sql(warehouse, statement, "--format", "json")
    assert json.loads(result.stdout) == [
        {"file_name": "catalogue.csv", "status": "loaded"},
        {"file_name": "units.csv", "status": "loaded"},
        {"file_name": "values.csv", "status": "loaded"},
    ]


@pytest.mark.parametrize("statement", ["describe marts.annual_review", "pragma table_info('marts.annual_review')",
                                       "explain select * from marts.annual_review", "show all tables",
                                       "summarize marts.annual_review"])
def test_catalogue_statements_are_allowed(warehouse, statement):
    assert sql(warehouse, statement, "--format", "csv").stdout.count("\n") >= 2


# --- attacks: refused with a one-line Chinese message, nothing changed ---------------------------

ATTACKS = [
    # writes
    ("insert into audit.files (file_name) values ('x')", "不允许写入"),
    ("update marts.annual_review set value = 0", "不允许写入"),
    ("delete from audit.quarantine", "不允许写入"),
    ("create table marts.evil as select 1 as a", "不允许写入"),
    ("create temp table evil as select 1 as a", "不允许写入"),
    ("create view marts.evil as select 1 as a", "不允许写入"),
    ("create macro evil(a) as a", "不允许写入"),
    ("drop table marts.annual_review", "不允许写入"),
    ("alter table marts.annual_review add column evil int", "不允许写入"),
    ("comment on table marts.annual_review is 'evil'", "不允许写入"),
    ("vacuum", "不允许写入"),
    # files written
    ("copy marts.annual_review to '{tmp}/out.csv'", "不允许导出或写文件"),
    ("copy (select 1) to '{tmp}/out.parquet' (format parquet)", "不允许导出或写文件"),
    ("copy marts.annual_review from '/etc/passwd'", "不允许导出或写文件"),
    ("export database '{tmp}/export'", "不允许导出或写文件"),
    # other databases
    ("attach '{tmp}/other.duckdb' as other", "不允许挂接或卸下数据库"),
    ("attach ':memory:' as other", "不允许挂接或卸下数据库"),
    ("detach warehouse", "不允许挂接或卸下数据库"),
    # extensions
    ("install httpfs", "不允许安装或加载扩展"),
    ("force install httpfs from 'http://example.com'", "不允许安装或加载扩展"),
    ("load httpfs", "不允许安装或加载扩展"),
    ("load '{tmp}/evil.duckdb_extension'", "不允许安装或加载扩展"),
    ("update extensions", "只允许查询语句"),
    # settings
    ("set enable_external_access = true", "不允许更改设置"),
    ("set threads = 1", "不允许更改设置"),
    ("reset lock_configuration", "不允许更改设置"),
    ("pragma threads = 1", "不允许更改设置"),
    ("pragma enable_profiling", "不允许更改设置"),
    ("set variable evil = 1", "不允许更改设置"),
    # local files and URLs, through DuckDB's own barrier
    ("select * from read_csv('/etc/passwd')", "不允许读取本机文件或网址"),
    ("select * from read_text('/etc/passwd')", "不允许读取本机文件或网址"),
    ("select * from read_blob('/etc/hostname')", "不允许读取本机文件或网址"),
    ("select * from glob('/etc/*')", "不允许读取本机文件或网址"),
    ("select * from read_csv('https://example.com/x.csv')", "不允许读取本机文件或网址"),
    ("select * from read_parquet('s3://bucket/key.parquet')", "不允许读取本机文件或网址"),
    ("select * from sniff_csv('/etc/passwd')", "不允许读取本机文件或网址"),
    ("select * from read_csv('{tmp}/secret.csv')", "不允许读取本机文件或网址"),
    ("select * from '{tmp}/secret.csv'", "不允许读取本机文件或网址"),
    # several statements, transactions, prepared statements
    ("select 1; drop table marts.annual_review", "一次只能执行一条语句（收到 2 条）"),
    ("select 1; select 2", "一次只能执行一条语句"),
    ("begin transaction", "只允许查询语句"),
    ("prepare evil as select 1", "只允许查询语句"),
    ("  ;  ", "没有收到 SQL 语句"),
]


@pytest.mark.parametrize(("statement", "phrase"), ATTACKS, ids=[a[0][:40] for a in ATTACKS])
def test_an_attack_is_refused_and_changes_nothing(warehouse, tmp_path, statement, phrase):
    (tmp_path / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    before, files_before = fingerprint(warehouse), tree(warehouse.parent)
    result = sql(warehouse, statement.format(tmp=tmp_path), expect=1)
    message = result.output.strip()
    assert phrase in message
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
    settings = json.loads(sql(warehouse, "select name, value from duckdb_settings() where name in "
                                         "('enable_external_access', 'lock_configuration', 'access_mode') "
                                         "order by name", "--format", "json").stdout)
    assert settings == [{"name": "access_mode", "value": "read_only"},
                        {"name": "enable_external_access", "value": "false"},
                        {"name": "lock_configuration", "value": "true"}]


def test_a_syntax_error_is_one_line(warehouse):
    result = sql(warehouse, "selec * from marts.annual_review", expect=1)
    assert result.output.strip().startswith("错误：SQL 语法错误") and "\n" not in result.output.strip()


# --- timeout and limit ----------------------------------------------------------------------------

def test_the_timeout_stops_a_runaway_query(warehouse):
    started = time.monotonic()
    result = sql(warehouse, "select count(*) from range(1000000000) a, range(1000000000) b",
                 "--timeout", "1", expect=1)
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
    statement = ("select '=1+1' as a, '+cmd|calc' as b, '-2+3' as c, '@SUM(A1)' as d, chr(9) || '=x' as e, "
                 "chr(13) || 'y' as f, -5 as g, '-5' as h, -2.5::double as i, 'plain' as j, "
                 "'=HYPERLINK(\"http://x\")' as \"=col\"")
    rows = list(csv.reader(io.StringIO(sql(warehouse, statement, "--format", "csv").stdout.removeprefix("\ufeff"))))
    assert rows == [
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "'=col"],
        ["'=1+1", "'+cmd|calc", "'-2+3", "'@SUM(A1)", "'\t=x", "'\ry", "-5", "-5", "-2.5", "plain",
         "'=HYPERLINK(\"http://x\")"],
    ]


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("-5", "-5"), ("-5.5e3", "-5.5e3"), ("-5 ", "'-5 "), ("- 5", "'- 5"),
    ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (-5, -5), (-2.5, -2.5), (None, None),
])
def test_neutralise(value, written):
    assert neutralise(value) == written
