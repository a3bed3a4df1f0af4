"""One box, every reading of it: :func:`find` and the :class:`Hit` it returns (see ``services.search``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from audit.encoding import entity_type_of
from core.errors import MappingError
from core.models import Base, Contact, Contract, Customer, Lead
from core.redact import mask_name, mask_phone
from mapping import normalise_phone
from services.search.names import match_names

__all__ = ["WHY", "Hit", "find"]

WHY = (  # every reason a hit can give, best first
    "entity_key",
    "contract_number",
    "lead_id",
    "phone",
    "contact_phone",
    "name",
    "homophone",
    "trade_name",
    "contract_number_part",
    "similar_name",
    "name_part",
    "lead_id_bare",
)
_ENTITY_KEY = re.compile(r"([a-z_]{2,60})\s*:\s*([^\s:]{1,60})", re.IGNORECASE)
_LEAD_ID = re.compile(r"(?:#|lead\s*#?|线索\s*#?)\s*(\d{1,10})", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,10}")
_PHONE_LIKE = re.compile(r"\+?[\d\s\-().]{7,30}")
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Hit:
    """One record a search found. ``kind`` is its ledger entity type (customer, contract, lead, ...)."""

    kind: str
    id: str
    label: str  # what a person recognises: a company name, a contract number; never a personal value
    why: str  # one of WHY
    score: int  # 0-100, best first
    detail: str = ""  # the matched name core, the masked phone, the customer a merged one went into

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def find(session: Session, text: str, limit: int = 20) -> list[Hit]:
    """The records ``text`` names, best first, at most ``limit``; one hit per record (its best reason)."""
    text = unicodedata.normalize("NFKC", text).strip()  # full-width digits and letters
    if not text:
        return []
    hits: list[Hit] = []
    key = _ENTITY_KEY.fullmatch(text)
    if key is not None and key.group(1).lower() in _entity_types():
        hits.append(_entity_hit(session, key.group(1).lower(), key.group(2)))
    else:
        key = None
    if lead := _LEAD_ID.fullmatch(text):
        hits.extend(_leads_by_id(session, int(lead.group(1)), "lead_id", 100))
    elif _NUMBER.fullmatch(text):
        hits.extend(_leads_by_id(session, int(text), "lead_id_bare", 60))
    hits.extend(_contracts(session, text, limit))
    if _PHONE_LIKE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7:
        hits.extend(_by_phone(session, text, limit))
    if not key and not lead and any(ch.isalpha() for ch in text):
        hits.extend(_by_name(session, text, limit))
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit.key not in best or _rank(hit) < _rank(best[hit.key]):
            best[hit.key] = hit
    return sorted(best.values(), key=_rank)[:limit]


def _rank(hit: Hit) -> tuple[int, int, int, str]:
    return (-hit.score, WHY.index(hit.why), 1 if hit.detail.startswith("customer:") else 0, hit.key)


def _entity_types() -> dict[str, type[Base]]:
    return {entity_type_of(m.class_): m.class_ for m in Base.registry.mappers}


def _entity_hit(session: Session, kind: str, ident: str) -> Hit:
    """The key as typed (the ledger keeps the history of deleted records too), labelled when it exists."""
    model = _entity_types()[kind]
    labels: dict[type[Any], Callable[[Session, Any], str]] = {
        Customer: _customer_label,
        Contract: _contract_label,
        Lead: _lead_label,
    }
    label = labels.get(model)
    row = session.get(model, int(ident)) if label and ident.isdigit() and int(ident) <= _MAX_ID else None
    return Hit(kind, ident, label(session, row) if label and row else f"{kind}:{ident}", "entity_key", 100)


def _customer_label(session: Session, c: Customer) -> str:
    return c.name if c.name_norm else mask_name(c.name)


def _contract_label(session: Session, c: Contract) -> str:
    customer = session.get(Customer, c.customer_id)
    return f"{c.number} · {_customer_label(session, customer)}" if customer else c.number


def _lead_label(session: Session, lead: Lead) -> str:
    return f"#{lead.id} · {lead.company or '—'}"


def _leads_by_id(session: Session, lead_id: int, why: str, score: int) -> list[Hit]:
    lead = session.get(Lead, lead_id) if 0 < lead_id <= _MAX_ID else None
    return [] if lead is None else [Hit("lead", str(lead.id), _lead_label(session, lead), why, score)]


def _contracts(session: Session, text: str, limit: int) -> list[Hit]:
    if len(text) < 2:
        return []
    number = func.lower(Contract.number)
    query = (
        select(Contract)
        .where(number.contains(text.lower(), autoescape=True))
        .order_by((number == text.lower()).desc(), Contract.number)
        .limit(limit)
    )
    return [
        Hit(
            "contract",
            str(c.id),
            _contract_label(session, c),
            "contract_number" if c.number.lower() == text.lower() else "contract_number_part",
            100 if c.number.lower() == text.lower() else 80,
        )
        for c in session.scalars(query)
    ]


def _phone_forms(text: str) -> tuple[str, set[str]]:
    """The E.164 number and the forms a store column may hold it in (as the intake writes it, and the
    plain national digits an ERP may send)."""
    e164 = normalise_phone(text).e164
    parsed = phonenumbers.parse(e164)
    national = phonenumbers.national_significant_number(parsed)
    forms = {e164, e164.lstrip("+"), national}
    if parsed.country_code == 86 and not national.startswith("1"):
        forms.add("0" + national)  # a landline with its trunk 0: 057188881234
    return e164, forms


def _by_phone(session: Session, text: str, limit: int) -> list[Hit]:
    try:
        e164, forms = _phone_forms(text)
    except MappingError:
        return []
    masked = mask_phone(e164)
    hits: list[Hit] = []
    for lead in session.scalars(select(Lead).where(Lead.phone.in_(forms)).order_by(Lead.id).limit(limit)):
        hits.append(Hit("lead", str(lead.id), _lead_label(session, lead), "phone", 100, masked))
    by_contact = select(Contact.customer_id).where(Contact.phone.in_(forms))
    customers = select(Customer).where(or_(Customer.phone.in_(forms), Customer.id.in_(by_contact)))
    for c in session.scalars(customers.order_by(Customer.id).limit(limit)):
        why = "phone" if c.phone in forms else "contact_phone"
        hits.append(
            Hit(
                "customer",
                str(c.id),
                _customer_label(session, c),
                why,
                100,
                _merged_into(c.merged_into_id) or masked,
            )
        )
    return hits


def _merged_into(golden: int | None) -> str:
    return f"customer:{golden}" if golden is not None else ""


def _by_name(session: Session, text: str, limit: int) -> list[Hit]:
    return [
        Hit("customer", str(m.customer_id), m.name, m.why, m.score, _merged_into(m.merged_into_id) or m.core)
        for m in match_names(session, text, limit)
    ]
