"""The outbox of ERP pushes: enqueue with the business change, claim, complete, retry, dead-letter.

Claiming is one short transaction: ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
workers take disjoint messages; on SQLite the transaction begins IMMEDIATE, which serialises claims.
A claim sets ``in_flight``, the worker and a lease (``claimed_until``) and counts the attempt; a
worker that dies leaves the message to be claimed again when the lease ends. A message claimed again
after an attempt that may have sent something is marked ``readback``: the pusher reads the ERP by
business key before sending anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.errors import InputError, NotFoundError
from core.models import OutboxMessage, ReceivableInstallment, utcnow
from services.finance.settings import FinanceSettings
from store.engine import session_scope

__all__ = [
    "TOPIC",
    "Claimed",
    "cancel_messages",
    "claim",
    "enqueue_receivable",
    "fail",
    "list_messages",
    "retry_messages",
    "save_tokens",
]

TOPIC = "erp.receivable.push"


@dataclass(frozen=True)
class Claimed:
    id: int
    business_key: str
    system: str
    installment_id: int
    attempts: int  # including this one
    readback: bool  # an earlier attempt may have reached the ERP
    tokens: dict[str, str]


def enqueue_receivable(session: Session, installment: ReceivableInstallment, system: str) -> OutboxMessage:
    """One push message for ``installment``, in the caller's transaction (with the installment)."""
    message = OutboxMessage(
        topic=TOPIC,
        business_key=f"{system}:{installment.business_key}",
        aggregate_type="receivable_installment",
        aggregate_id=installment.id,
        payload={
            "system": system,
            "installment_id": installment.id,
            "business_key": installment.business_key,
        },
    )
    session.add(message)
    return message


def claim(
    engine: Engine,
    worker: str,
    settings: FinanceSettings,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[Claimed]:
    """Take up to ``limit`` due messages for ``worker``; an expired lease past the attempts is dead."""
    now = now or utcnow()
    due = or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "in_flight", OutboxMessage.claimed_until < now),
    )
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.topic == TOPIC, due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit or settings.batch_size)
    )
    claimed: list[Claimed] = []
    with session_scope(engine) as s:
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for message in s.scalars(query):
            lost = message.status == "in_flight"
            if lost and message.attempts >= settings.max_attempts:
                message.last_error = f"worker {message.claimed_by} lost after {message.attempts} attempts"
                message.status, message.claimed_by, message.claimed_until = "dead", None, None
                continue
            payload = dict(message.payload)
            readback = lost or message.attempts > 0 or bool(payload.get("readback"))
            message.status, message.claimed_by = "in_flight", worker
            message.claimed_until = now + timedelta(seconds=settings.lease_seconds)
            message.attempts += 1
            # a message written without a payload (older code, the demo) still names both in its columns
            system = str(payload.get("system") or message.business_key.partition(":")[0])
            installment_id = int(payload.get("installment_id") or message.aggregate_id)
            tokens = dict(payload.get("tokens") or {})
            claimed.append(
                Claimed(
                    message.id,
                    message.business_key,
                    system,
                    installment_id,
                    message.attempts,
                    readback,
                    tokens,
                )
            )
    return claimed


def save_tokens(engine: Engine, message_id: int, tokens: dict[str, str]) -> None:
    """Persist idempotency tokens (U8 tradeid) before the first send that uses them."""
    with session_scope(engine) as s:
        message = s.get_one(OutboxMessage, message_id)
        message.payload = {**message.payload, "tokens": tokens}


def fail(
    engine: Engine,
    claimed: Claimed,
    error: str,
    settings: FinanceSettings,
    *,
    fatal: bool,
    now: datetime | None = None,
) -> str:
    """Record a failed attempt: back to ``pending`` with backoff, or ``dead`` (fatal, or attempts used up)."""
    now = now or utcnow()
    with session_scope(engine) as s:
        message = s.get_one(OutboxMessage, claimed.id)
        message.last_error = error[:2000]
        message.claimed_by, message.claimed_until = None, None
        if message.status not in ("in_flight", "pending"):
            return message.status  # cancelled meanwhile
        if fatal or message.attempts >= settings.max_attempts:
            message.status = "dead"
            message.last_error = (
                f"{'fatal' if fatal else f'gave up after {message.attempts} attempts'}: {error}"[:2000]
            )
        else:
            wait = min(settings.backoff_max, settings.backoff_initial * 2 ** (message.attempts - 1))
            message.status, message.next_attempt_at = "pending", now + timedelta(seconds=wait)
        return message.status


def _messages(s: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    found = list(s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))
    missing = sorted(set(ids) - {m.id for m in found})
    if missing:
        raise NotFoundError(f"no outbox message {', '.join(map(str, missing))}")
    return found


def retry_messages(engine: Engine, ids: Sequence[int] = (), *, all_dead: bool = False) -> list[int]:
    """Dead (or cancelled) messages back to ``pending`` now, with read-back before any send."""
    with session_scope(engine) as s:
        if all_dead:
            messages = list(s.scalars(select(OutboxMessage).where(OutboxMessage.status == "dead")))
        else:
            messages = _messages(s, ids)
        for m in messages:
            if m.status not in ("dead", "cancelled"):
                raise InputError(
                    f"outbox message {m.id} is {m.status}; only dead or cancelled ones can be retried"
                )
            m.status, m.attempts, m.next_attempt_at = "pending", 0, utcnow()
            m.payload = {**m.payload, "readback": True}
        return [m.id for m in messages]


def cancel_messages(engine: Engine, ids: Sequence[int]) -> list[int]:
    """Pending or dead messages are cancelled: nothing will be pushed for them."""
    with session_scope(engine) as s:
        messages = _messages(s, ids)
        for m in messages:
            if m.status not in ("pending", "dead"):
                raise InputError(
                    f"outbox message {m.id} is {m.status}; only pending or dead ones can be cancelled"
                )
            m.status, m.claimed_by, m.claimed_until = "cancelled", None, None
        return [m.id for m in messages]


def list_messages(engine: Engine, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    query = select(OutboxMessage).where(OutboxMessage.topic == TOPIC).order_by(OutboxMessage.id).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    with session_scope(engine) as s:
        return [
            {
                "id": m.id,
                "business_key": m.business_key,
                "status": m.status,
                "attempts": m.attempts,
                "next_attempt_at": m.next_attempt_at.isoformat(),
                "last_error": m.last_error,
            }
            for m in s.scalars(query)
        ]
