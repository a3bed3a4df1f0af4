"""Who is changing data, and why: the actor, correlation id and reason written on each ledger entry.

Set it around a unit of work with :func:`audit_context` (a context variable, so it follows threads
and async tasks correctly), or on one session with ``session.info["audit"] = AuditContext(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

__all__ = ["AuditContext", "audit_context", "current_context"]


@dataclass(frozen=True)
class AuditContext:
    actor: str | None = None
    correlation_id: str | None = None
    reason: str | None = None


_EMPTY = AuditContext()  # frozen, so sharing it as the default is safe
_current: ContextVar[AuditContext] = ContextVar("synchub_audit_context", default=_EMPTY)


def current_context() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(
    actor: str | None = None, correlation_id: str | None = None, reason: str | None = None
) -> Iterator[AuditContext]:
    """Nest freely: inner values override outer ones, unset ones are inherited."""
    outer = _current.get()
    ctx = replace(
        outer,
        actor=actor or outer.actor,
        correlation_id=correlation_id or outer.correlation_id,
        reason=reason if reason is not None else outer.reason,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
