"""China Standard Time for what people read: one offset, no daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["CST", "cst_today", "utc_now"]

CST = timezone(timedelta(hours=8), "CST")


def utc_now() -> datetime:
    return datetime.now(UTC)


def cst_today(now: datetime | None = None) -> date:
    return (now or utc_now()).astimezone(CST).date()
