"""Build a valid instance of any model, creating the parents its foreign keys need.

Used by the test that walks every audited model: a new model is covered without writing a factory.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, inspect
from sqlalchemy.orm import Session

from core.models import Base
from core.models.base import UTCDateTime


def python_type(column: Any) -> type[Any]:
    if isinstance(column.type, UTCDateTime):
        return datetime
    if isinstance(column.type, JSON):
        return dict
    return column.type.python_type  # type: ignore[no-any-return]


def _dummy(python_type: type[Any], length: int | None) -> Any:
    if python_type is bool:
        return True
    if python_type is int:
        return 1
    if python_type is float:
        return 0.5
    if python_type is Decimal:
        return Decimal("12.50")
    if python_type is datetime:
        return datetime.now(UTC)
    if python_type is date:
        return date(2026, 12, 31)
    if python_type is dict:
        return {"k": "v"}
    if python_type is list:
        return ["v"]
    text = f"t-{uuid.uuid4().hex}"
    return text[: length or 40]


def make_instance(session: Session, cls: type[Any]) -> Any:
    """Add and flush a new ``cls`` with every required column filled."""
    values: dict[str, Any] = {}
    for column in cls.__table__.columns:
        if column.primary_key:
            continue
        if column.foreign_keys:
            if column.nullable:
                continue
            target_table = next(iter(column.foreign_keys)).column.table
            parent_cls = next(m.class_ for m in Base.registry.mappers if m.local_table is target_table)
            values[column.key] = make_instance(session, parent_cls).id
            continue
        if column.nullable or column.default is not None or column.server_default is not None:
            continue
        values[column.key] = _dummy(python_type(column), getattr(column.type, "length", None))
    obj = cls(**values)
    session.add(obj)
    session.flush()
    return obj


def editable_column(cls: type[Any]) -> str:
    """A plain string column that can take any short value (for update tests)."""
    for column in cls.__table__.columns:
        if column.primary_key or column.foreign_keys or column.unique:
            continue
        if python_type(column) is str and getattr(column.type, "length", 0) and column.type.length >= 20:
            return str(column.key)
    for wanted in (int, dict):
        for column in cls.__table__.columns:
            if not (column.primary_key or column.foreign_keys) and python_type(column) is wanted:
                return str(column.key)
    raise AssertionError(f"{cls.__name__} has no editable column")


def changed_value(old: Any) -> Any:
    if isinstance(old, dict):
        return {**old, "edited": "yes"}
    return 424242 if isinstance(old, int) else "changed-value-xyz"


def identity(obj: Any) -> str:
    return ":".join(str(p) for p in inspect(type(obj)).primary_key_from_instance(obj))
