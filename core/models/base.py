"""Declarative base, column types and mixins shared by every hub model.

A model opts into the ledger by inheriting :class:`Audited`; a column holding personal information
(PIPL) is declared with ``info=PII`` so the ledger stores a salted digest instead of the value (see
``audit/README.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, Numeric, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

PII: dict[str, Any] = {"pii": True}

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a timezone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite one call per value instead of three (this decorator, then SQLite's DATETIME
        formatting), writing the same text SQLite's DATETIME writes: ``2026-11-26 05:31:39.000123``."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        check = self.process_bind_param
        last: tuple[datetime | None, str | None] = (None, None)

        def process(value: datetime | None) -> str | None:
            nonlocal last
            if value is None:
                return None
            seen, text = last  # one read: another thread may replace the pair, never half of it
            if value is seen:  # a bulk insert binds one statement-wide timestamp in every row
                return text
            if not isinstance(value, datetime) or value.tzinfo is None:
                check(value, dialect)  # the error PostgreSQL gives too
                raise TypeError(f"a UTC column takes a timezone-aware datetime, not {value!r}")
            text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
            last = (value, text)
            return text

        return process


JSONType = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(18, 2, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        Decimal: Money,
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class Audited:
    """Marker mixin: every insert, update and delete of this model reaches the ledger."""

    __audited__: ClassVar[bool] = True


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())


def is_audited(cls: type[Any]) -> bool:
    return bool(getattr(cls, "__audited__", False))


_PII: dict[type[Any], frozenset[str]] = {}


def pii_columns(cls: type[Any]) -> frozenset[str]:
    """Columns declared personal (``info=PII``); cached, as the ledger asks for every row it records."""
    found = _PII.get(cls)
    if found is None:
        columns = getattr(getattr(cls, "__table__", None), "columns", ())
        found = _PII[cls] = frozenset(c.key for c in columns if c.info.get("pii"))
    return found
