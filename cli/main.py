"""The `mubiao` command: the door users come in by. It parses, calls, and prints."""

from __future__ import annotations

import functools
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from mubiao.cli.locale import use_chinese
from mubiao.cli.telemetry import telemetry_off
from mubiao.foundation.runtime import heap_left_to_exit

use_chinese()  # before typer is imported: it fixes its help headings then
telemetry_off()  # before Prefect or GX is imported

import typer

from mubiao.cli import running
from mubiao.cli.config import default_inbox, default_warehouse
from mubiao.cli.consoles import console, err
from mubiao.cli.failures import GuardedCommand
from mubiao.cli.sql_export import Encoding, OutputFormat
from mubiao.cli.usage_errors import ChineseGroup
from mubiao.foundation.errors import require_warehouse
from mubiao.foundation.settings import read_settings
from mubiao.foundation.zone import DEFAULT_DUE_DAY, ZONE_NAME

app = typer.Typer(
    help="mubiao（目标）：收取各单位月度报送，校验入库，生成目标完成情况、序时进度、重点项目与单位考核数据集市。",
    no_args_is_help=True,
    add_completion=False,
    cls=ChineseGroup,
)
command = functools.partial(app.command, cls=GuardedCommand)


def main() -> None:
    """The `mubiao` command: `app`, its usage errors in Chinese on one line, the heap left to the process's end."""
    from typer._click.exceptions import ClickException  # typer's own copy of click, which it does not export

    from mubiao.cli.usage_errors import in_chinese

    try:
        code = app(standalone_mode=False)
    except ClickException as error:
        command = error.ctx.command_path if getattr(error, "ctx", None) else "mubiao"
        err.print(f"[red]错误：[/]{in_chinese(error.format_message())}（输入 {command} --help 查看用法）")
        code = error.exit_code
    except typer.Abort:
        err.print("已中止")
        code = 1
    finally:
        heap_left_to_exit()
    sys.exit(code if isinstance(code, int) else 0)


WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse", "-w", help="DuckDB 仓库文件（默认 $MUBIAO_WAREHOUSE 或 ./mubiao-data/warehouse.duckdb）"
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="出错时显示完整的 traceback", metavar="")]
DueDayOption = Annotated[
    int | None,
    typer.Option(
        "--due-day", min=1, max=28, help=f"报送截止日：次月第几日（默认 {DEFAULT_DUE_DAY}，或 $MUBIAO_DUE_DAY）"
    ),
]


class TaskRunner(StrEnum):
    default = "default"
    dask = "dask"


@command()
def run(
    inbox: Annotated[Path | None, typer.Option("--inbox", "-i", help="收件箱目录（默认：自带的示范区数据）")] = None,
    warehouse: WarehouseOption = None,
    due_day: DueDayOption = None,
    known_at: Annotated[
        str | None,
        typer.Option(
            "--known-at", help="按某时点已收到的文件重建（如 2017-07-10），写入仓库旁的 known-at/，不动当前数据集市"
        ),
    ] = None,
    task_runner: Annotated[
        TaskRunner,
        typer.Option("--task-runner", help="按类别解析与校验的执行方式：default（本进程）或 dask（Dask 集群）"),
    ] = TaskRunner.default,
    dask_address: Annotated[
        str | None,
        typer.Option(
            "--dask-address", help="Dask 调度器地址，如 tcp://10.0.0.5:8786（默认：本机临时集群，2 个工作进程）"
        ),
    ] = None,
    settle: Annotated[
        float | None,
        typer.Option(
            "--settle",
            min=0,
            help="收件箱中最近这么多秒内改动过的文件，等其大小与修改时间稳定后再收取（默认 2，或 $MUBIAO_SETTLE_SECONDS）",
        ),
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="重新计算全部文件的 SHA-256，不信任上次记录的文件大小与修改时间")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """收取收件箱中的新文件，校验、入库并重建数据集市。"""
    settings = read_settings()
    warehouse, due_day = warehouse or settings.warehouse, due_day or settings.due_day
    if known_at:
        running.known_at(known_at, warehouse, due_day, debug)
        return
    dask = task_runner is TaskRunner.dask or dask_address is not None  # an address implies Dask
    settle = settings.settle_seconds if settle is None else settle
    running.take_in(inbox or default_inbox(), warehouse, due_day, debug, dask, dask_address, settle, verify)


@command()
def backfill(
    start: Annotated[str, typer.Option("--from", help="起始月份，如 2017-01")],
    end: Annotated[str, typer.Option("--to", help="结束月份，如 2017-09")],
    warehouse: WarehouseOption = None,
    due_day: DueDayOption = None,
    debug: DebugOption = False,
) -> None:
    """按现行单位名录、指标目录和项目库，从落地区重算若干月份（不读收件箱），并重建数据集市。"""
    settings = read_settings()
    running.backfill(start, end, warehouse or settings.warehouse, due_day or settings.due_day, debug)


@command(context_settings={"ignore_unknown_options": True})  # a query may begin with a `--` comment
def sql(
    query: Annotated[
        str | None,
        typer.Argument(
            help='一条 SQL 查询，例如 "select * from marts.target_completion"；不给查询则进入交互式只读 SQL 环境'
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    output: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="输出格式：table、csv、json、xlsx（默认：table，或按 --out 的扩展名）"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="写入文件（全部行），如 结果.xlsx 或 结果.csv")
    ] = None,
    encoding: Annotated[
        Encoding, typer.Option("--encoding", help="CSV 编码：utf-8（带 BOM，Excel/WPS 双击即可打开）或 gbk")
    ] = Encoding.utf8,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="超过这么多秒即停止查询")] = 30,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="最多输出这么多行（默认：终端 1000 行；写入文件或管道时全部）")
    ] = None,
    debug: DebugOption = False,
) -> None:
    """在仓库上执行一条只读 SQL 查询；不给查询则进入交互式只读 SQL 环境。

    只读连接，禁止访问本机文件与网址、锁定设置：写入、COPY、EXPORT、ATTACH、INSTALL、LOAD、SET 一律拒绝。CSV 与 XLSX 中以 = + - @ 开头的文本前加单引号。

    有哪些表、每列什么意思：mubiao tables（列出所有表），mubiao tables marts.target_completion（一张表的列）。
    """
    warehouse = warehouse or default_warehouse()
    if query is None:
        from mubiao.cli.sql_shell import run_shell

        run_shell(warehouse, timeout, limit)
        return
    from mubiao.cli.sql_door import CANCELLED
    from mubiao.cli.sql_output import print_query

    try:
        print_query(warehouse, query, output, out, encoding, timeout, limit, console, err)
    except KeyboardInterrupt:  # the query is stopped (sql_door): one line, and 128 + SIGINT as shells expect
        err.print(f"[red]{CANCELLED}[/]")
        raise typer.Exit(130) from None


PeriodOption = Annotated[str | None, typer.Option("--period", "-p", help="统计期，例如 2017-06 或 2017年6月")]


@command()
def status(period: PeriodOption = None, warehouse: WarehouseOption = None, debug: DebugOption = False) -> None:
    """各单位某月的报送情况（按时报齐、迟报、缺报、未报送、隔离）。

    默认显示最近一个有报送跟踪的月份；所给月份没有需要跟踪的报送时，提示已跟踪的月份并以退出码 1 结束。
    """
    _status(period, warehouse or default_warehouse())


def _status(period: str | None, warehouse: Path) -> None:
    from mubiao.cli.status import connect, read_status, render, resolve_period

    with connect(warehouse) as con:
        table, summary = render(read_status(con, *resolve_period(con, period)))
    console.print(table)
    console.print(summary)


@command()
def feedback(
    period: PeriodOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出目录（默认：仓库旁的 feedback/<年-月>/）")
    ] = None,
    warehouse: WarehouseOption = None,
    debug: DebugOption = False,
) -> None:
    """生成某月各单位的退回修改表（XLSX）和报送情况汇总表。

    默认与 mubiao status 相同：最近一个有报送跟踪的月份。每个有问题的单位一份。有问题：有被隔离的行、疑似问题、缺报或未报送的项目，或迟报。重新生成时先删除该月旧的退回修改表。
    """
    _feedback(period, out, warehouse or default_warehouse())


def _feedback(period: str | None, out: Path | None, warehouse: Path) -> None:
    from mubiao.cli.feedback import render_written, write_feedback

    folder, written = write_feedback(warehouse, period, out)
    console.print(render_written(written))
    console.print(f"已写入 {len(written)} 个文件：{folder}", soft_wrap=True)


@command()
def remind(
    period: Annotated[str, typer.Option("--period", "-p", help="统计期，例如 2017-10 或 2017年10月")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出目录（默认：仓库旁的 feedback/<年-月>/）")
    ] = None,
    warehouse: WarehouseOption = None,
    debug: DebugOption = False,
) -> None:
    """催报：给某月仍未报齐（未报送、缺报、无法读取）的每个单位写一份催报通知（XLSX），列明未收到的项目、截止日期和最近收到的月份。

    重新生成时先删除该月旧的催报通知。
    """
    _remind(period, out, warehouse or default_warehouse())


def _remind(period: str, out: Path | None, warehouse: Path) -> None:
    from mubiao.cli.status import connect, resolve_period
    from mubiao.report.reminders import reminder_folder, write_reminders

    with connect(warehouse) as con:
        year, month = resolve_period(con, period)
        folder = out or reminder_folder(warehouse, year, month)
        written = write_reminders(con, year, month, folder)
    for unit, path in written:
        console.print(f"{unit.unit_name}：{unit.summary()} → {path.name}", soft_wrap=True)
    console.print(f"已写入 {len(written)} 份催报通知：{folder}", soft_wrap=True)


@command()
def tables(
    name: Annotated[
        str | None, typer.Argument(help="表名，如 marts.target_completion（或 target_completion）；不给则列出所有表")
    ] = None,
    warehouse: WarehouseOption = None,
    debug: DebugOption = False,
) -> None:
    """数据字典：列出仓库中的表与视图、各自的说明与行数；给出表名则列出它的列、类型与说明。"""
    _tables(name, warehouse or default_warehouse())


def _tables(name: str | None, warehouse: Path) -> None:
    from mubiao.cli.sql_door import open_door
    from mubiao.cli.tables import columns_table, relations_table
    from mubiao.warehouse.dictionary import read_columns, read_relations, resolve

    with open_door(warehouse) as con:
        relations = read_relations(con)
        if name is None:
            console.print(relations_table(relations, console.width))
            console.print("查看一张表的列：mubiao tables marts.target_completion", style="dim")
        else:
            relation = resolve(relations, name)
            console.print(columns_table(relation, read_columns(con, relation), console.width))


@command()
def docs(warehouse: WarehouseOption = None, debug: DebugOption = False) -> None:
    """生成校验报告与数据字典（离线可读的静态网页）并显示其位置。

    校验报告：每个文件、它经过的检查、被隔离的每一行。数据字典（catalogue.html）：每个表与列的说明、数据来源与示例行。
    """
    _docs(warehouse or default_warehouse())


def _docs(warehouse: Path) -> None:
    from mubiao.pipelines.loading.docs_site import data_docs_index
    from mubiao.report.catalogue import write_catalogue
    from mubiao.report.validation import write_validation_pages

    require_warehouse(warehouse)
    index = write_validation_pages(warehouse, warehouse.resolve().parent / "gx" / "validation")
    console.print(f"校验报告：{index}", soft_wrap=True)
    console.print(f"在浏览器中打开：{index.as_uri()}", style="dim", soft_wrap=True)
    catalogue = write_catalogue(warehouse, warehouse.resolve().parent / "catalogue.html")
    console.print(f"数据字典：{catalogue}", soft_wrap=True)
    console.print(f"在浏览器中打开：{catalogue.as_uri()}", style="dim", soft_wrap=True)
    if (gx := data_docs_index(warehouse.resolve().parent)).is_file():
        console.print(f"GX Data Docs（原始格式，需联网才有样式）：{gx}", style="dim", soft_wrap=True)


@command()
def report(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年度（默认：仓库中有数据的最新年度）")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="截至月份，如 2017-09（默认：该年度最新有数据的月份）")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="输出目录（默认：仓库旁的 report/<年度>/，指定截至月份时为 report/<年度>-<月>/）"
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    debug: DebugOption = False,
) -> None:
    """生成年度工作会议材料：report.html（网页）、report.xlsx（工作簿）与 bulletin.md（简报）。"""
    from mubiao.report import write_requested

    folder = write_requested(warehouse or default_warehouse(), year, as_of, out)
    console.print(f"会议材料：{folder}（report.html、report.xlsx、bulletin.md）")


@command()
def serve(
    inbox: Annotated[Path | None, typer.Option("--inbox", "-i", help="收件箱目录（默认：自带的示范区数据）")] = None,
    warehouse: WarehouseOption = None,
    cron: Annotated[
        str, typer.Option("--cron", help="定时运行 mubiao-run 的 cron 表达式（默认每天 7:00）")
    ] = "0 7 * * *",
    timezone: Annotated[str, typer.Option("--timezone", help="cron 表达式所用的时区")] = ZONE_NAME,
    due_day: DueDayOption = None,
    remind_days: Annotated[
        int, typer.Option("--remind-days", help="截止日前几天运行 mubiao-remind 写催报通知（默认 3）")
    ] = 3,
    notify_block: Annotated[
        str | None,
        typer.Option(
            "--notify-block",
            help="截止日后一天通过此 Prefect 通知块发送逾期名单，如 custom-webhook/office（默认不发送）",
        ),
    ] = None,
    trusted_network: Annotated[
        bool, typer.Option("--trusted-network", help="API 对其他电脑开放且未设登录时仍然运行（仅限可信网络）")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """在 Prefect 服务器上发布并执行部署：mubiao-run 按计划定时运行，mubiao-backfill 按需补算，mubiao-remind 截止日前催报。

    需要运行中的 Prefect 服务器（prefect server start）和 PREFECT_API_URL；按 Ctrl+C 停止。
    部署只处理这里指定的收件箱和仓库：触发时改用其他路径的运行会被拒绝。
    """
    from mubiao.flows.deployments import Served
    from mubiao.flows.deployments import serve as serve_deployments

    settings = read_settings()
    served = Served(
        inbox=inbox or default_inbox(),
        warehouse=warehouse or settings.warehouse,
        cron=cron,
        timezone=timezone,
        due_day=due_day or settings.due_day,
        remind_days=remind_days,
        notify_block=notify_block,
        trusted_network=trusted_network,
    )
    serve_deployments(served)


@command(hidden=True)
def serving(served: str, debug: DebugOption = False) -> None:
    """The process `mubiao serve` becomes, with its paths pinned in its environment (flows/deployments.py)."""
    from mubiao.flows.deployments import Served, serve_pinned

    serve_pinned(Served.model_validate_json(served))
