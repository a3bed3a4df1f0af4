"""Telling a database failure that will pass from one that will repeat, and saying either without
the statement's parameters (they hold other people's phones and names)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import exc as sa_exc

__all__ = ["describe", "is_transient", "storable_copy"]

# The database or the path to it is away or busy: the same statement may well succeed later.
_TRANSIENT = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, sa_exc.DisconnectionError)


def is_transient(exc: BaseException) -> bool:
    """True for a fault of the database or the connection, False for a fault of the data."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _TRANSIENT) and not isinstance(exc, sa_exc.DataError)


def describe(exc: BaseException) -> str:
    """The failure's class and the first line of the driver's message, never the parameters."""
    inner = exc.orig if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None else exc
    first = str(inner).strip().splitlines()[0] if str(inner).strip() else ""
    return f"{type(inner).__name__}: {first[:200]}" if first else type(inner).__name__


def storable_copy(payload: Any) -> dict[str, Any]:
    """A payload the store can hold whatever it contains: the JSON text with every character escaped
    (NUL, lone surrogates and all), so a quarantined record keeps exactly what was sent."""
    return {"unstorable_json": json.dumps(payload, ensure_ascii=True, default=str)}
