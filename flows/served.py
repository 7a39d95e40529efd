"""What a served run may touch: the inbox and warehouse that `mubiao serve` was started with, never a run's own.

Anyone who reaches the Prefect API can trigger a deployment with parameters of their choosing. `serve` starts the
process that serves with its paths pinned in that process's environment (`pinned`), which the runs it executes
inherit and a trigger cannot set; a run whose paths differ stops before it reads or writes anything.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

from mubiao.foundation.errors import MubiaoError
from mubiao.foundation.settings import PREFIX, read_settings

NAMES = {"inbox": "收件箱", "warehouse": "仓库"}


def pinned(**paths: Path) -> dict[str, str]:
    """The environment that pins these served paths (absolute) for a serving process and the runs it starts."""
    return {f"{PREFIX}SERVED_PATHS": json.dumps({name: str(path.resolve()) for name, path in paths.items()})}


def refusal(**paths: Path) -> str | None:
    """Why a run with these paths may not go on in this process, or None when it is not served or they match."""
    pinned = read_settings().served_paths
    for name, path in paths.items():
        if name in pinned and str(Path(path).resolve()) != pinned[name]:
            return (
                f"已拒绝：本次运行的{NAMES[name]}参数 {path} 与 mubiao serve 启动时的 {pinned[name]} 不同"
                f"（服务的收件箱和仓库只能在启动 mubiao serve 时指定）"
            )
    return None


def is_loopback(url: str) -> bool:
    """Whether the API at `url` is on this machine alone (127.0.0.0/8, ::1, or a name that resolves there)."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def require_guarded_api(url: str, trusted_network: bool) -> None:
    """Refuse to serve on an API other machines can reach when it has no login, unless told the network is trusted."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_SERVER_API_HOST

    open_server = not is_loopback(f"http://{PREFECT_SERVER_API_HOST.value()}")
    if trusted_network or PREFECT_API_AUTH_STRING.value() or (is_loopback(url) and not open_server):
        return
    where = url if not is_loopback(url) else f"{PREFECT_SERVER_API_HOST.value()}（PREFECT_SERVER_API_HOST）"
    raise MubiaoError(
        f"Prefect API 对其他电脑开放（{where}）却没有登录：能连上它的人都能触发运行。"
        "请在服务器设置 PREFECT_SERVER_API_AUTH_STRING、在本机设置同样的 PREFECT_API_AUTH_STRING"
        "（见 README「让其他电脑打开界面」），或确认网络可信后加 --trusted-network"
    )
