"""Who a PIPL erasure is about, and where their values sit besides the record itself.

Erasing ``lead:99`` must leave that person's phone nowhere: not in the lead's free text (a remark,
a company "named" after a phone), not in its raw payload or quarantine rows, not in the customer and
contact made from it, not in the notification log. :class:`Person` holds the values that identify them
(phones by their digits, e-mail addresses, ID numbers, the contact name); :func:`scope_of` names the
rows that belong to the erased record (everything personal in them goes) and the related rows (only
the person's own values go).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from core.models import (
    ClusterMember,
    Contact,
    Customer,
    Lead,
    MatchCandidate,
    NotificationLog,
    QuarantinedRecord,
    RawRecord,
    pii_columns,
)
from core.redact import find_personal, phone_key

__all__ = ["ERASED", "Person", "Scope", "scope_of", "scrub_object"]

ERASED = "[erased]"
_KEEP = frozenset({"id", "external_id", "business_key", "payload_sha256"})  # identifiers, not text


@dataclass
class Person:
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def learn(self, value: Any, name: bool = False) -> None:
        """Take every personal value found in ``value`` (text or JSON); ``name``: it is a person's name."""
        for text in _texts(value):
            if name and len(text.strip()) >= 2 and not find_personal(text):
                self.names.add(text.strip())
            for match in find_personal(text):
                if match.kind == "email":
                    self.emails.add(match.text.lower())
                elif match.kind == "id":
                    self.ids.add(match.text.upper())
                else:
                    self.phones.add(phone_key(match.text))

    def owns(self, kind: str, text: str) -> bool:
        if kind == "email":
            return text.lower() in self.emails
        if kind == "id":
            return text.upper() in self.ids
        return phone_key(text) in self.phones

    def mentioned_in(self, text: str) -> bool:
        return any(self.owns(m.kind, m.text) for m in find_personal(text)) or any(
            n in text for n in self.names
        )

    def scrub(self, text: str, everything: bool) -> str:
        """``text`` without the person's values (``everything``: without any personal value)."""
        for match in reversed(find_personal(text)):
            if everything or self.owns(match.kind, match.text):
                text = text[: match.start] + ERASED + text[match.end :]
        for name in sorted(self.names, key=len, reverse=True):
            text = text.replace(name, ERASED)
        return text


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _scrub_value(value: Any, person: Person, everything: bool) -> Any:
    if isinstance(value, str):
        return person.scrub(value, everything)
    if isinstance(value, dict):
        return {k: _scrub_value(v, person, everything) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v, person, everything) for v in value]
    return value


def _empty(obj: Any, key: str) -> Any:
    column = inspect(type(obj)).columns[key]
    if column.nullable:
        return None
    return {} if isinstance(getattr(obj, key), dict) else ([] if isinstance(getattr(obj, key), list) else "")


def scrub_object(obj: Any, person: Person, owned: bool) -> None:
    """Remove the person's values from ``obj`` (an audited update, so the ledger records it).

    ``owned``: the row belongs to the erased record; its personal columns are emptied and every
    personal value in its text goes. Otherwise the row's personal text columns go when one of them is
    the person's (a contact with their phone is them, whatever name it gives), its personal JSON only
    loses the person's values, and its other text loses the person's values.
    """
    personal = pii_columns(type(obj))
    theirs = owned or any(
        isinstance(getattr(obj, k), str) and person.mentioned_in(getattr(obj, k)) for k in personal
    )
    for attr in inspect(type(obj)).column_attrs:
        key = attr.key
        value = getattr(obj, key)
        if key in _KEEP or value is None or not isinstance(value, str | dict | list):
            continue
        if key in personal:
            if owned or (theirs and isinstance(value, str)):
                setattr(obj, key, _empty(obj, key))
            elif not isinstance(value, str) and person.mentioned_in(" ".join(_texts(value))):
                setattr(obj, key, _scrub_value(value, person, everything=False))
            continue
        scrubbed = _scrub_value(value, person, owned)
        if scrubbed != value:
            setattr(obj, key, scrubbed)


@dataclass
class Scope:
    owned: list[Any]  # the record and what exists only because of it: everything personal goes
    related: list[Any]  # rows that may quote the person: only their values go


def scope_of(session: Session, obj: Any) -> Scope:
    if not isinstance(obj, Lead):
        return Scope([obj], [])
    raws = list(session.scalars(select(RawRecord).where(RawRecord.lead_id == obj.id)))
    raw_ids = [r.id for r in raws]
    quarantined = (
        list(session.scalars(select(QuarantinedRecord).where(QuarantinedRecord.raw_record_id.in_(raw_ids))))
        if raw_ids
        else []
    )
    related: list[Any] = list(
        session.scalars(select(NotificationLog).where(NotificationLog.lead_id == obj.id))
    )
    if obj.customer_id is not None:
        cid = obj.customer_id
        customer = session.get_one(Customer, cid)
        related.append(customer)
        # A merge copies a member's buyers to its golden customer (and may fill the golden's phone):
        # the golden and its contacts may quote the person too; only the person's values go.
        holders = [cid] if customer.merged_into_id is None else [cid, customer.merged_into_id]
        if customer.merged_into_id is not None:
            related.append(session.get_one(Customer, customer.merged_into_id))
        related += session.scalars(select(Contact).where(Contact.customer_id.in_(holders)))
        related += session.scalars(select(ClusterMember).where(ClusterMember.customer_id == cid))
        related += session.scalars(
            select(MatchCandidate).where(or_(MatchCandidate.left_id == cid, MatchCandidate.right_id == cid))
        )
    return Scope([obj, *raws, *quarantined], related)


def person_of(scope: Scope) -> Person:
    """The values that identify the person: every personal value in the owned rows' personal columns
    and free text, and the contact name."""
    person = Person()
    for obj in scope.owned:
        personal = pii_columns(type(obj))
        for attr in inspect(type(obj)).column_attrs:
            value = getattr(obj, attr.key)
            if attr.key not in _KEEP:
                person.learn(value, name=attr.key in personal and "name" in attr.key)
    return person
