"""What `mubiao run` and `mubiao backfill` do behind their options: check the warehouse, start the flow (with
Prefect's temporary server, a progress bar and a tuned start-up), and print the summary."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.table import Table

from mubiao.cli.config import default_warehouse
from mubiao.cli.consoles import console, err
from mubiao.flows.worker import socket_path
from mubiao.foundation.errors import MubiaoError, require_warehouse


def _check_warehouse(warehouse: Path, must_exist: bool) -> None:
    """Fail in one line, before any flow starts, on a warehouse that is missing (when needed) or not DuckDB."""
    import duckdb

    if must_exist:
        require_warehouse(warehouse)
    if not warehouse.exists():
        return
    from mubiao.warehouse.published import WarehouseHeld, connect_published

    try:
        try:
            connect_published(warehouse, wait=False).close()
        except WarehouseHeld as held:
            err.print(f"{held}；等待其关闭……")
            connect_published(warehouse).close()
    except duckdb.Error as error:
        raise MubiaoError(f"仓库文件无法打开：{warehouse}（{str(error).splitlines()[0]}）") from None


def _print_pack(warehouse: Path, debug: bool) -> None:
    """The latest pack, written if it is not current; a failure is a warning, as the warehouse stands."""
    import traceback

    from mubiao.foundation.disk import unwritten_line
    from mubiao.report import write_latest

    try:
        pack = write_latest(warehouse)
    except Exception as error:
        if debug:
            traceback.print_exc()
        _print_unwritten([unwritten_line("会议材料", error, "可运行 mubiao report 重新生成")])
        return
    if pack:
        console.print(f"会议材料：{pack}")


def _print_unwritten(lines: list[str]) -> None:
    for line in lines:
        err.print(f"[yellow]警告：[/]{line}")


def _quiet_prefect(debug: bool) -> None:
    """Prefect says only warnings, and of the flows' own logs nothing: what a run has to say it says in its own
    lines (a retry while it waits, a failure in one line), and a traceback is left to `--debug`."""
    if debug:
        return
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(lambda record: record.levelno < logging.WARNING)


def known_at(text: str, warehouse: Path, due_day: int, debug: bool) -> None:
    _check_warehouse(warehouse, must_exist=True)
    _quiet_prefect(debug)
    from mubiao.flows.known_at import mubiao_known_at, parse_known_at

    summary = mubiao_known_at(warehouse=warehouse.resolve(), known_at=parse_known_at(text), due_day=due_day)
    console.print(
        f"截至 {text} 已收到 {summary['files']} 个文件，据此重建的仓库：{summary['warehouse']}", soft_wrap=True
    )
    _print_pack(Path(summary["warehouse"]), debug)


def take_in(
    inbox: Path,
    warehouse: Path,
    due_day: int,
    debug: bool,
    dask: bool,
    dask_address: str | None,
    settle: float,
    verify: bool = False,
) -> None:
    started = time.monotonic()
    if not inbox.is_dir():
        raise MubiaoError(f"收件箱不存在：{inbox}")
    _check_warehouse(warehouse, must_exist=False)
    inbox = inbox.resolve()  # the path the flow walks: the look's scan serves it only for the same
    # a warm worker may answer: it looks for news, and runs, with no temporary server to boot
    warm = not dask and socket_path(warehouse).exists()
    if warm and (answer := _in_worker(inbox, warehouse, due_day, settle, verify)) is not None:
        if "unchanged" in answer:
            _say_unchanged(answer["unchanged"], warehouse, (debug, started))
        else:
            _print_outcome(answer["summary"], started, warehouse)
        return
    _quiet_prefect(debug)
    from mubiao.flows.api_server import TemporaryApi

    # the look's scan is kept for the run until the command ends; the server boots while this process looks for
    # news and imports what it needs
    with contextlib.ExitStack() as kept, TemporaryApi(quiet=not debug) as api:
        answered, walk = _news(inbox, warehouse, due_day, verify, kept, (debug, started), before=api.stop)
        if answered:
            return
        from mubiao.cli.startup import flow_imported

        with flow_imported(gx=not dask, booting=api.booting, warehouse=warehouse):
            _say_if_held(warehouse)
            with api.serving():
                summary = _run_flow(inbox, warehouse, due_day, dask, dask_address, (settle, verify, walk))
        api.terminate()  # the server shuts down while the summary is written
        _print_outcome(summary, started, warehouse)


def _news(
    inbox: Path,
    warehouse: Path,
    due_day: int,
    verify: bool,
    kept: contextlib.ExitStack,
    shown: tuple[bool, float],
    before: Callable[[], None],
) -> tuple[bool, Path | None]:
    """Whether there was nothing new, the summary then said at once from the published file, without Prefect
    (after `before`); and the file in which the look's scan of the inbox is kept for the run until `kept` closes
    (flows/news.py), None when it did not walk the inbox. `shown` is the command's debug and its start."""
    from mubiao.flows.news import look

    passed, found = look(inbox, warehouse, due_day, verify)
    if passed is None:
        if found is None:
            return False, None
        from mubiao.pipelines.intake.spill import walk_kept
        from mubiao.pipelines.intake.walk_file import write_scan

        write_scan(found, walk := kept.enter_context(walk_kept(warehouse.resolve())))
        return False, walk
    before()
    _say_unchanged([p.reason for p in passed], warehouse, shown)
    return True, None


def _say_unchanged(reasons: list[str], warehouse: Path, shown: tuple[bool, float]) -> None:
    """The summary of a run that found nothing new, the inbox passing over entries for `reasons`, and the pack."""
    from collections import Counter

    from mubiao.warehouse.leftovers import remove_leftovers_if_idle

    remove_leftovers_if_idle(warehouse)
    summary = dict.fromkeys(
        ("files_loaded", "files_duplicate", "files_unreadable", "rows_loaded", "rows_quarantined"), 0
    )
    summary.update(files_skipped=len(reasons), skipped_reasons=dict(Counter(reasons)))
    debug, started = shown
    _print_summary({**summary, "seconds": time.monotonic() - started}, warehouse)
    _print_pack(warehouse, debug)


def _print_outcome(summary: dict, started: float, warehouse: Path) -> None:
    _print_summary({**summary, "seconds": time.monotonic() - started}, warehouse)
    if summary["pack"]:
        console.print(f"会议材料：{summary['pack']}")
    if summary["unwritten"] and summary["published"]:
        console.print(f"仓库已更新：{warehouse.resolve()}（本次入库 {summary['files_loaded']} 个文件）")
    _print_unwritten(summary["unwritten"])


def _in_worker(inbox: Path, warehouse: Path, due_day: int, settle: float, verify: bool) -> dict | None:
    """The warehouse's warm worker's answer (flows/worker.py): the run's summary, or what the inbox passes over
    when it held nothing new, its progress shown here as it goes; None when no worker answers, or it declines
    (another inbox than it serves): the command then runs itself."""
    from mubiao.flows.worker import connected, submit

    with connected(warehouse) as client:
        if client is None:
            return None
        _say_if_held(warehouse)  # the worker's run waits for the lock, or this connection for the worker's run
        request = {"inbox": str(inbox), "warehouse": str(warehouse.resolve()), "due_day": due_day}
        with _progress() as (step, wait):

            def shown(message: dict) -> None:
                if "waiting" in message:
                    wait(message["waiting"])
                else:
                    step(**message["advance"])

            answer = submit(client, {**request, "settle": settle, "verify": verify}, shown)
        if answer is not None:
            err.print(f"[dim]由工作进程运行（{socket_path(warehouse)}）[/]", soft_wrap=True)
        return answer


def _say_if_held(warehouse: Path) -> None:
    from mubiao.warehouse.publish import HELD, held

    if held(warehouse):
        err.print(HELD.format(warehouse), soft_wrap=True)


def _run_flow(
    inbox: Path,
    warehouse: Path,
    due_day: int,
    dask: bool,
    dask_address: str | None,
    receiving: tuple[float, bool, Path | None],
) -> dict:
    """The `mubiao-run` flow (on Dask, with `dask`), with a progress bar of files and rows on stderr; `receiving`
    is its settle_seconds, verify and walked."""
    from mubiao.flows.progress import listening
    from mubiao.flows.run import mubiao_run, on_dask

    with _progress() as (step, wait):

        class Shown(logging.Handler):
            """What the flow tells: files and rows on the bar, a wait as a line above it."""

            def emit(self, record: logging.LogRecord) -> None:
                if waiting := getattr(record, "waiting", None):
                    wait(waiting)
                elif advance := getattr(record, "advance", None):
                    step(advance.files, advance.rows, advance.total)

        with listening(Shown()):
            flow = on_dask(dask_address) if dask else mubiao_run
            settle, verify, walked = receiving
            return flow(
                inbox=inbox,
                warehouse=warehouse.resolve(),
                due_day=due_day,
                settle_seconds=settle,
                verify=verify,
                walked=walked,
            )


@contextlib.contextmanager
def _progress() -> Iterator[tuple[Callable[[int, int, int | None], None], Callable[[str], None]]]:
    """A progress bar of files and rows on stderr: a step's files, rows and (when known) total, and a wait's line."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("文件  {task.fields[rows]:,} 行"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("收取", total=None, rows=0)

        def step(files: int, rows: int, total: int | None) -> None:
            if total is not None:
                bar.update(task, total=total)
            bar.update(task, advance=files, rows=bar.tasks[task].fields["rows"] + rows)

        yield step, lambda line: bar.console.print(f"[yellow]稍候：[/]{line}")


def backfill(start: str, end: str, warehouse: Path, due_day: int, debug: bool) -> None:
    _quiet_prefect(debug)
    from mubiao.flows.backfill import month_range, mubiao_backfill

    month_range(start, end)  # a bad range is a one-line error before a flow starts
    _check_warehouse(warehouse, must_exist=True)
    summary = mubiao_backfill(warehouse=warehouse.resolve(), start=start, end=end, due_day=due_day)
    console.print(
        f"已重算 {summary['months']} 个月、{summary['files']} 个文件：入库 {summary['rows_loaded']:,} 行，"
        f"隔离 {summary['rows_quarantined']:,} 行，用时 {summary['seconds']:.1f} 秒"
    )
    if summary["files_unreadable"]:
        listing = "select year, month, file_name, error from audit.restated where status = 'unreadable'"
        _print_unwritten(
            [f"{summary['files_unreadable']} 个文件无法读取，其行保持原样：{_sql_hint(listing, warehouse)}"]
        )
    _print_unwritten(summary["unwritten"])


def _print_summary(summary: dict, warehouse: Path) -> None:
    table = Table(title="本次运行", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row(
        "文件：已入库 / 重复 / 无法读取",
        f"{summary['files_loaded']} / {summary['files_duplicate']} / {summary['files_unreadable']}",
    )
    table.add_row("行：已入库 / 隔离", f"{summary['rows_loaded']:,} / {summary['rows_quarantined']:,}")
    table.add_row("跳过（不是报送文件）", f"{summary['files_skipped']}")
    table.add_row("用时", f"{summary['seconds']:.1f} 秒")
    table.add_row("仓库", str(warehouse.resolve()))
    console.print(table)
    if not summary["files_loaded"] and not summary["files_unreadable"]:
        console.print("全部为已入库文件的重复" if summary["files_duplicate"] else "收件箱中没有新文件")
    if summary.get("files_retimed"):
        console.print(f"收文登记有改动：{summary['files_retimed']} 个已收文件的收文时间按登记改正")
    for name in summary.get("register_unplaced", ()):
        console.print(
            f"收文登记中的 {name} 在收件箱中不止一个文件同名，无法确定是哪一个，未采用其收文时间", soft_wrap=True
        )
    if summary["files_skipped"]:
        reasons = "；".join(f"{reason} {count} 项" for reason, count in summary["skipped_reasons"].items())
        console.print(f"跳过 {summary['files_skipped']} 项：{reasons}", soft_wrap=True)
        console.print(f"跳过的明细：{_sql_hint('select * from audit.skipped', warehouse)}", soft_wrap=True)
    if summary["rows_quarantined"]:
        console.print(f"隔离的行及原因：{_sql_hint('select * from audit.quarantine_rows', warehouse)}", soft_wrap=True)
    if summary["files_unreadable"]:
        listing = "select file_name, unit_code, year, month, error from core.arrivals where status = 'unreadable'"
        console.print(f"无法读取的文件及原因：{_sql_hint(listing, warehouse)}", soft_wrap=True)


def _sql_hint(query: str, warehouse: Path) -> str:
    """The `mubiao sql` command to type, with the warehouse the user named (quoted for the shell)."""
    import shlex

    option = "" if warehouse == default_warehouse() else f" --warehouse {shlex.quote(str(warehouse))}"
    return f"mubiao sql {shlex.quote(query)}{option}"
