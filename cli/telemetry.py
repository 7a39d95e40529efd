"""Telemetry off unless the office turns it on: Prefect's (its client's usage events, its server's heartbeat) and GX's.

An office PC is often offline, where each attempt costs a timeout and Prefect's server prints an ERROR; and
nothing about the office's work is to leave it. The settings go into the environment before Prefect or GX is
imported, so that the processes mubiao starts (Prefect's temporary server, the runs `serve` executes) inherit
them. A value the user set stays.
"""

from __future__ import annotations

import os

OFF = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}


def telemetry_off() -> None:
    for name, value in OFF.items():
        os.environ.setdefault(name, value)
