"""The zone's clock and calendar: its time zone, and the day submissions fall due."""

from __future__ import annotations

from zoneinfo import ZoneInfo

ZONE_NAME = "Asia/Shanghai"
"""The zone's time zone: received times without an offset are its time, and the marts show times in it."""
ZONE_TIME = ZoneInfo(ZONE_NAME)
DEFAULT_DUE_DAY = 5
"""Submissions for a month are due on this day of the following month."""
