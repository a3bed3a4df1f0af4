"""China Standard Time for what people read: one offset, no daylight saving.

Times are stored in UTC (``core.models.base.UTCDateTime``, the ledger's ``...Z`` text) and shown in
Beijing time everywhere a person reads them, the console and the CLI's tables alike, through
:func:`beijing_text`; what shows them says so (``BEIJING_LABEL`` in a heading or next to the value).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from mapping.timestamps import CHINA_TZ as CST
from mapping.timestamps import china_today as cst_today

__all__ = ["BEIJING_LABEL", "CST", "beijing_text", "beijing_times", "cst_today", "utc_now"]

BEIJING_LABEL = "北京时间"
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:?\d\d)")


def utc_now() -> datetime:
    return datetime.now(UTC)


def beijing_text(value: datetime | str | None, with_seconds: bool = False, empty: str = "—") -> str:
    """``value`` as Beijing wall-clock text, ``2026-12-07 08:26``. A naive datetime is UTC (what the
    store holds); a string is converted when it is a whole ISO 8601 time with an offset or ``Z`` (the
    ledger's form) and returned as it is otherwise."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        if not _ISO_TIME.fullmatch(value.strip()):
            return value
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def beijing_times(text: str) -> str:
    """``text`` with every ISO 8601 time in it that carries an offset or ``Z`` (the ledger's values,
    JSON of events) rewritten as Beijing wall-clock text with seconds."""
    return _ISO_TIME.sub(lambda m: beijing_text(m.group(0), with_seconds=True), text)
