"""Which failures a task retries, and how: I/O that can pass (a file still being written, a share gone for a
moment), never a full, read-only or forbidden disk, which waits for someone to act, nor a defect."""

from __future__ import annotations

from prefect.tasks import exponential_backoff

from mubiao.flows.progress import waiting
from mubiao.foundation.disk import LASTING, disk_fault


def can_pass(error: BaseException) -> bool:
    """Whether a retry may get past `error`."""
    if not isinstance(error, OSError):
        return False
    fault = disk_fault(error)
    return not (fault and fault.errno in LASTING)


def _transient(task, task_run, state) -> bool:
    """Retry what can pass, and say so while waiting."""
    if not can_pass(state.data):
        return False
    fault = disk_fault(state.data)
    delay = task.retry_delay_seconds[min(task_run.run_count, len(task.retry_delay_seconds)) - 1]
    waiting(
        f"{fault.what if fault else state.data}，约 {delay:g} 秒后自动重试（第 {task_run.run_count} 次，共 {task.retries} 次）"
    )
    return True


RETRYING_IO = {
    "retries": 4,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": _transient,
}
