"""Incremental cursors: turn the records of a pull into the next :class:`~connectors.base.CursorState`.

Rules (the dlt way):

- the lower bound is **closed**: a pull asks the vendor for ``cursor >= state.value`` (minus the
  optional lag window), so records that share the boundary value come back;
- boundary ties are deduplicated by primary key: a record whose cursor equals ``state.value`` and
  whose key is in ``state.boundary_keys`` was already landed and is skipped; without a lag window,
  records below the bound are skipped too, and a key is never emitted twice in one pull;
- the cursor never goes backwards: the new value is the largest of the old value and every cursor
  seen, and its boundary keys are the keys seen at exactly that value (plus the old ones if the value
  did not move);
- ``committed`` moves only when the caller says a stretch is complete (``commit()``): pages of a
  vendor that returns newest first must not advance the saved cursor before the window is done.

Cursor values are ISO-8601 text in Beijing time (``2026-11-20T10:21:33+08:00``): sortable as text
and compared as datetimes here so a differently written offset cannot break the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from connectors.base import CursorState, SourceRecord
from mapping.timestamps import to_cursor

__all__ = ["CST", "Incremental", "parse_cursor", "vendor_time_to_cursor"]

CST = timezone(timedelta(hours=8), "CST")  # China has one offset and no DST


def parse_cursor(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=CST)


def vendor_time_to_cursor(text: str, fmt: str = "%Y-%m-%d %H:%M:%S") -> str | None:
    """A vendor's local time text (``2026-11-20 10:21:33``, Beijing time) as cursor text; None if bad."""
    try:
        return to_cursor(datetime.strptime(text.strip(), fmt).replace(tzinfo=CST))
    except (ValueError, AttributeError):
        return None


class Incremental:
    """The cursor of one pull of one (stream, account), fed page by page."""

    def __init__(self, start: CursorState, *, lag: timedelta = timedelta(0)) -> None:
        self.start = start
        self.lag = lag
        self._start_at = parse_cursor(start.value) if start.value else None
        self._max_at = self._start_at
        self._max_text = start.value
        self._keys: set[str] = set(start.boundary_keys)
        self._emitted: set[str] = set()
        self.committed = start

    def lower_bound(self, default: datetime) -> datetime:
        """Where the vendor query starts: the saved value minus the lag, else ``default``."""
        if self._start_at is None:
            return default
        return self._start_at - self.lag

    def admit(self, records: Iterable[SourceRecord]) -> list[SourceRecord]:
        """The records not yet landed, in the order given; updates the running state."""
        fresh: list[SourceRecord] = []
        for record in records:
            if record.external_id in self._emitted:
                continue
            at = parse_cursor(record.cursor_value) if record.cursor_value else None
            if at is not None and self._start_at is not None:
                if at < self._start_at and not self.lag:
                    continue
                if at == self._start_at and record.external_id in self.start.boundary_keys:
                    continue
            self._emitted.add(record.external_id)
            fresh.append(record)
            if at is None or record.cursor_value is None:
                continue
            if self._max_at is None or at > self._max_at:
                self._max_at, self._max_text, self._keys = at, record.cursor_value, {record.external_id}
            elif at == self._max_at:
                self._keys.add(record.external_id)
        return fresh

    @property
    def state(self) -> CursorState:
        """The state covering everything admitted so far."""
        if self._max_text is None:
            return self.start
        return CursorState(value=self._max_text, boundary_keys=tuple(sorted(self._keys)))

    def commit(self) -> CursorState:
        """Mark everything admitted so far as complete; ``committed`` becomes the running state."""
        self.committed = self.state
        return self.committed
