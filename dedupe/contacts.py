"""Every buyer of a merged company stays reachable: members' phones and e-mails become contacts.

A merge keeps one phone and one e-mail on the golden customer (``dedupe.golden``); the other buyers'
would be lost. So on a merge each member's contact cards (its :class:`Contact` rows, and its own
phone / e-mail when no card holds them) that the golden does not know yet are copied as new
:class:`Contact` rows under the golden customer. The ids of the rows a member brought are kept in its
``ClusterMember.prior_state`` under :data:`ADDED_KEY` (never a column of the customer, so ``restore``
ignores it), and unmerge deletes exactly those rows: the contacts are back as they were.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Contact, Customer

__all__ = ["ADDED_KEY", "add_member_contacts", "added_ids", "move_contacts", "remove_contacts"]

ADDED_KEY = "_contacts_added"


@dataclass(frozen=True)
class _Card:
    name: str | None
    title: str | None
    phone: str | None
    email: str | None


def added_ids(state: dict[str, Any]) -> list[int]:
    """The contact rows a member brought to its golden (from its prior state)."""
    return [int(i) for i in state.get(ADDED_KEY) or []]


def _known(session: Session, golden: Customer) -> tuple[set[str], set[str]]:
    """Phones and e-mails (lower-cased) and names the golden already holds, on its row or its contacts."""
    values = {v.strip().lower() for v in (golden.phone, golden.email) if v and v.strip()}
    names: set[str] = set()
    for contact in session.scalars(select(Contact).where(Contact.customer_id == golden.id)):
        values.update(v.strip().lower() for v in (contact.phone, contact.email) if v and v.strip())
        if contact.name and contact.name.strip():
            names.add(contact.name.strip())
    return values, names


def _cards(session: Session, member_id: int, state: dict[str, Any], skip: set[int]) -> list[_Card]:
    """The member's own contact cards, then its row's phone and e-mail when no card holds them."""
    rows = session.scalars(select(Contact).where(Contact.customer_id == member_id).order_by(Contact.id))
    cards = [_Card(c.name, c.title, c.phone, c.email) for c in rows if c.id not in skip]
    phone, email = state.get("phone") or None, state.get("email") or None
    for i, card in enumerate(cards):  # the row's phone and e-mail are usually the first buyer's card
        if phone and card.phone == phone and email and not card.email:
            cards[i], email = _Card(card.name, card.title, card.phone, email), None
        elif email and card.email == email and phone and not card.phone:
            cards[i], phone = _Card(card.name, card.title, phone, card.email), None
    held = {v for c in cards for v in (c.phone, c.email) if v}
    phone = phone if phone not in held else None
    email = email if email not in held else None
    if phone or email:
        cards.append(_Card(None, None, phone, email))
    return cards


def add_member_contacts(
    session: Session, golden: Customer, member_id: int, state: dict[str, Any], skip: Collection[int] = ()
) -> list[int]:
    """Copy the member's contact cards the golden does not know as contacts of the golden; their ids.

    A card is new when it has a phone or an e-mail the golden lacks, or (with neither) a name it lacks.
    ``skip``: contact rows of the member that are not its own (brought to it by an earlier merge).
    """
    values, names = _known(session, golden)
    added: list[Contact] = []
    for card in _cards(session, member_id, state, set(skip)):
        reach = {v.strip().lower() for v in (card.phone, card.email) if v and v.strip()}
        name = (card.name or "").strip()
        if (reach and reach <= values) or (not reach and (not name or name in names)):
            continue
        contact = Contact(
            customer_id=golden.id, name=card.name, title=card.title, phone=card.phone, email=card.email
        )
        session.add(contact)
        added.append(contact)
        values |= reach
        if name:
            names.add(name)
    session.flush()
    return [c.id for c in added]


def move_contacts(session: Session, ids: list[int], golden_id: int) -> None:
    """Contacts a member brought to a golden that is itself being merged follow to the new golden."""
    for contact_id in ids:
        contact = session.get(Contact, contact_id)
        if contact is not None and contact.customer_id != golden_id:
            contact.customer_id = golden_id


def remove_contacts(session: Session, ids: list[int]) -> None:
    """Unmerge: delete the contact rows a member brought (the golden's contacts are as before)."""
    for contact_id in ids:
        contact = session.get(Contact, contact_id)
        if contact is not None:
            session.delete(contact)
