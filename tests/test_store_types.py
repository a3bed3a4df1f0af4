"""Column types and the driver-level insert: the same stored values as SQLAlchemy's own insert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, insert, select, text
from sqlalchemy.dialects import sqlite

from audit.driver_insert import driver_insert
from core.models.base import JSONType, Money, UTCDateTime, utcnow
from store.engine import make_engine

SQLITE = sqlite.dialect()
FAST = UTCDateTime().bind_processor(SQLITE)
REFERENCE = DateTime(timezone=True).dialect_impl(SQLITE).bind_processor(SQLITE)


@settings(deadline=None, max_examples=500)
@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_sqlite_datetime_text_is_what_sqlalchemy_writes(moment: datetime, offset_minutes: int) -> None:
    assert FAST is not None and REFERENCE is not None
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    assert FAST(aware) == REFERENCE(aware.astimezone(UTC).replace(tzinfo=None))


def test_naive_datetimes_are_refused() -> None:
    assert FAST is not None
    assert FAST(None) is None
    with pytest.raises(ValueError, match="naive datetime"):
        FAST(datetime(2026, 11, 26, 8, 0))


def test_a_repeated_timestamp_is_formatted_once_and_still_right() -> None:
    assert FAST is not None
    first = datetime(2026, 11, 26, 16, 5, 7, 123, tzinfo=timezone(timedelta(hours=8)))
    second = first + timedelta(days=1)
    assert FAST(first) == FAST(first) == "2026-11-26 08:05:07.000123"
    assert FAST(second) == "2026-11-27 08:05:07.000123"
    assert FAST(first) == "2026-11-26 08:05:07.000123"  # the one remembered value moved on, not stuck


def _scratch(metadata: MetaData, name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("label", String(40)),
        Column("at", UTCDateTime),
        Column("doc", JSONType),
        Column("amount", Money),
        Column("flag", Boolean),
        Column("made_at", UTCDateTime, default=utcnow),
        Column("kind", String(10), default="plain"),
    )


ROWS: list[dict[str, Any]] = [
    {"id": 1, "label": "全角（括号）", "at": datetime(2026, 11, 26, 16, 5, 7, 123, tzinfo=timezone(timedelta(hours=8))),
     "doc": {"k": [1, "二", None]}, "amount": Decimal("1234.50"), "flag": True},
    {"id": 2, "label": None, "at": None, "doc": None, "amount": None, "flag": None},
]  # fmt: skip


def test_driver_insert_stores_what_sqlalchemy_stores(store_url: str) -> None:
    engine = make_engine(store_url)
    metadata = MetaData()
    ours, theirs = _scratch(metadata, "scratch_driver"), _scratch(metadata, "scratch_core")
    metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            driver_insert(conn, ours, [dict(r) for r in ROWS])
            conn.execute(insert(theirs), [dict(r) for r in ROWS])
        with engine.connect() as conn:
            got = [dict(r._mapping) for r in conn.execute(select(ours).order_by(ours.c.id))]
            want = [dict(r._mapping) for r in conn.execute(select(theirs).order_by(theirs.c.id))]
            raw_ours = conn.execute(text("SELECT doc FROM scratch_driver ORDER BY id")).all()
            raw_theirs = conn.execute(text("SELECT doc FROM scratch_core ORDER BY id")).all()
        for row in got + want:
            assert row.pop("made_at") is not None  # the Python default was applied by both
        assert got == want
        assert got[0]["at"] == ROWS[0]["at"] and got[0]["doc"] == ROWS[0]["doc"]
        assert raw_ours == raw_theirs  # None in a JSON column: stored the same way by both
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def test_driver_insert_gives_a_statement_one_timestamp_and_per_row_defaults(store_url: str) -> None:
    engine = make_engine(store_url)
    metadata = MetaData()
    table = _scratch(metadata, "scratch_defaults")
    metadata.create_all(engine)
    try:
        before = utcnow()
        with engine.begin() as conn:
            driver_insert(conn, table, [{"id": i, "label": f"row {i}"} for i in range(1, 4)])
        with engine.connect() as conn:
            rows = conn.execute(select(table.c.made_at, table.c.kind, table.c.at).order_by(table.c.id)).all()
        assert len({r.made_at for r in rows}) == 1 and rows[0].made_at >= before  # once, like now()
        assert [r.kind for r in rows] == ["plain"] * 3
        assert [r.at for r in rows] == [None] * 3
    finally:
        metadata.drop_all(engine)
        engine.dispose()


DOCS: list[Any] = [
    {"公司名称": "杭州智联医疗器械有限公司", "line": 7, "ok": True, "x": None},
    {"big": 2**70, "neg": -(2**65)},  # past 64 bits: orjson refuses, json takes it
    {1: "a", 2: "b"},  # integer keys: orjson refuses, json turns them into strings
    [1.5, "é", {"nested": ["二"]}],
]


@pytest.mark.parametrize("doc", DOCS)
def test_json_columns_are_utf8_text_and_read_back_equal(store_url: str, doc: Any) -> None:
    engine = make_engine(store_url)
    metadata = MetaData()
    table = _scratch(metadata, "scratch_json")
    metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(table), [{"id": 1, "doc": doc}])
        with engine.connect() as conn:
            got = conn.execute(select(table.c.doc)).scalar_one()
            stored = conn.execute(text("SELECT CAST(doc AS TEXT) FROM scratch_json")).scalar_one()
        expected = {str(k): v for k, v in doc.items()} if isinstance(doc, dict) else doc
        assert got == expected
        assert "\\u" not in stored  # UTF-8 text, not escapes
    finally:
        metadata.drop_all(engine)
        engine.dispose()
