"""Submission times: vendor text or epoch numbers to aware datetimes; naive times are China time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from core.errors import MappingError
from mapping._text import fold

__all__ = ["CHINA_TZ", "china_today", "parse_timestamp", "to_cursor"]

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991
_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2100  # outside: a typo or an attack, and year 1 breaks the store
_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",
)  # fmt: skip
_EARLIEST_EPOCH = 946684800  # 2000-01-01: a smaller number is an Excel date serial or a typo, not 1970


def parse_timestamp(value: Any) -> datetime:
    """ISO 8601, "2026-11-20 10:21:33", "2026/11/20 10:21", epoch seconds or milliseconds.

    Times without an offset are read as China time (UTC+8). Raises :class:`MappingError` otherwise.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = fold(str(value)).strip()
    if text.isdigit():
        return _from_epoch(float(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise MappingError(
                f"submitted_at {text[:40]!r} is not a date and time", field="submitted_at"
            ) from None
    if not _EARLIEST_YEAR <= parsed.year <= _LATEST_YEAR:
        raise MappingError(f"submitted_at {text[:40]!r} is not a plausible date", field="submitted_at")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    if not _EARLIEST_EPOCH <= seconds < 4e9:
        raise MappingError(f"submitted_at {seconds!r} is not a plausible epoch time", field="submitted_at")
    return datetime.fromtimestamp(seconds, UTC)


def to_cursor(moment: datetime) -> str:
    """A datetime as cursor text (ISO 8601, Beijing time, whole seconds); naive datetimes are taken as
    Beijing time. Cursor text sorts as text and is what ``connectors.incremental`` compares."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ).isoformat(timespec="seconds")


def china_today(now: datetime | None = None) -> date:
    """Today's date in China: the business date of due dates, overdue days and alerts, whatever the
    host's own time zone."""
    return (now or datetime.now(UTC)).astimezone(CHINA_TZ).date()
