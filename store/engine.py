"""The store: engine and sessions for SQLite (default, WAL) or PostgreSQL, with the ledger hooks on.

Every engine made here carries the audit guard, and every Session the capture hooks, so no caller
can obtain a handle on the business tables that skips the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from audit import capture
from audit.guard import install_guard
from core.settings import get_settings

__all__ = ["make_engine", "session_scope", "sessionmaker_for"]

capture.install()


def _sqlite_pragmas(dbapi_conn: Any, record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB, not 2: a batch's index pages stay in memory
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN: a deferred transaction that reads and then writes can fail with
    # SQLITE_BUSY_SNAPSHOT when another writer committed in between, whatever the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _json_text(value: Any) -> str:
    """JSON columns as UTF-8 text (not ``\\uXXXX`` escapes: a Chinese payload takes half the space),
    through orjson; what orjson refuses (integers past 64 bits, non-string keys) through ``json``."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False)


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = url or get_settings().database_url
    kwargs.setdefault("json_serializer", _json_text)
    kwargs.setdefault("hide_parameters", True)  # a failed statement never logs personal data
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=get_settings().database_echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, echo=get_settings().database_echo, **kwargs)
    install_guard(engine)
    return engine


def sessionmaker_for(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    with sessionmaker_for(engine)() as session, session.begin():
        yield session
