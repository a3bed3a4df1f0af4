"""Refuse writes to audited tables that do not come from an ORM flush.

Bulk ``session.execute(update(Lead)...)``, Core ``conn.execute(insert(...))`` and ``exec_driver_sql``
would change business data without a ledger entry; this engine hook turns them into a clear error.
Raw DBAPI connections are outside SQLAlchemy and outside this guard: that is the attacker's path, and
the chain and checkpoints exist to detect it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from audit.capture import FLUSHING_FLAG, HEAD_KEY
from core.errors import AuditBypassError
from core.models import Base, is_audited

__all__ = ["audited_tables", "install_guard"]

_DML = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def audited_tables() -> frozenset[str]:
    return frozenset(str(m.class_.__tablename__) for m in Base.registry.mappers if is_audited(m.class_))


def install_guard(engine: Engine) -> None:
    tables = audited_tables()

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_unaudited_dml(
        conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if conn.info.get(FLUSHING_FLAG):
            return
        match = _DML.match(statement)
        if match and match.group(1).lower() in tables:
            raise AuditBypassError(
                f"refused to write {match.group(1)} outside the ORM unit of work: it would bypass the "
                "audit ledger; load the objects and change them through a Session instead"
            )

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _clear_flag(conn: Connection) -> None:
        conn.info.pop(FLUSHING_FLAG, None)
        conn.info.pop(HEAD_KEY, None)

    @event.listens_for(engine, "rollback_savepoint")
    def _forget_head(conn: Connection, name: str, context: Any) -> None:
        conn.info.pop(HEAD_KEY, None)  # entries written inside the savepoint are gone: re-read
