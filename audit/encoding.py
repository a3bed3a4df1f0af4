"""Turning column values into the canonical JSON text the ledger stores and hashes byte for byte."""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["canonical_json", "entity_type_of", "format_timestamp", "jsonable", "pii_digest"]

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def format_timestamp(value: datetime) -> str:
    """UTC, microseconds, trailing Z: the one text form of a time in the ledger."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if value.year < 1000:  # isoformat pads the year to four digits; strftime's %Y does not
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.isoformat(timespec="microseconds") + "Z"  # the same text as strftime, 5x faster


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} in the ledger")


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, UTF-8 text kept as is, NaN refused."""
    return _CANONICAL.encode(value)


_CANONICAL = json.JSONEncoder(  # built once: json.dumps with options builds an encoder per call
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=jsonable
)


def pii_digest(value_text: str) -> tuple[str, str]:
    """(salt hex, digest hex) with digest = sha256(salt || UTF-8 value text)."""
    salt = os.urandom(16)
    return salt.hex(), hashlib.sha256(salt + value_text.encode("utf-8")).hexdigest()


def entity_type_of(cls: type[Any]) -> str:
    """``ReceivableInstallment`` -> ``receivable_installment``: the name used in ``--entity TYPE:ID``."""
    return _CAMEL.sub("_", cls.__name__).lower()
