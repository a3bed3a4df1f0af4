"""China Standard Time for what people read: one offset, no daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime

from mapping.timestamps import CHINA_TZ as CST
from mapping.timestamps import china_today as cst_today

__all__ = ["CST", "cst_today", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)
