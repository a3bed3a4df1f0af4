"""Customers for the dedupe store tests: four records of one company (and a look-alike in another city)
and small readers of the customers table and the ledger."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.models import AuditLog
from core.models import Customer
from dedupe import CustomerMatcher
from dedupe.merge import SNAPSHOT_FIELDS
from store.engine import session_scope

HZ = {"name": "杭州智联医疗器械有限公司", "phone": "+8613812345678", "city": "杭州市", "province": "浙江省"}
HZ_2 = {"name": "智联医械(杭州)有限公司", "phone": "+8613812345678", "email": "wang@zhilian.com"}
HZ_3 = {"name": "杭州智联医疗器械", "address": "杭州市西湖区文三路90号", "uscc": None}
# another company in another city, listing the same (distributor's) phone: strong evidence, yet no merge
SZ = {"name": "苏州智联医疗器械有限公司", "phone": "+8613812345678", "city": "苏州市"}


def add_customer(session: Session, **values: Any) -> Customer:
    from mapping import company_core

    customer = Customer(name_norm=company_core(values["name"]).core, **values)
    session.add(customer)
    session.flush()
    return customer


def customer_rows(session: Session) -> dict[int, dict[str, Any]]:
    return {
        c.id: {k: getattr(c, k) for k in ("id", "created_at", *SNAPSHOT_FIELDS)}
        for c in session.scalars(select(Customer))
    }


def ledger_events(session: Session, action: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.seq))
    return [json.loads(r.changes)["event"] | {"_actor": r.actor, "_reason": r.reason} for r in rows]


def matcher_with(store: Engine, *customers: dict[str, Any]) -> list[int]:
    ids: list[int] = []
    with session_scope(store) as session:
        matcher = CustomerMatcher.from_store(session)
        for values in customers:
            customer = add_customer(session, **values)
            matcher.add_customer(session, customer)
            ids.append(customer.id)
    return ids


def three_leads(store: Engine) -> None:
    """Three leads from one source: a buyer, the same buyer again under the trade name, another company."""
    from core.models import Lead, Source

    with session_scope(store) as session:
        source = Source(name="douyin-1", kind="douyin")
        session.add(source)
        session.flush()
        for i, (company, contact, phone, city) in enumerate(
            [
                ("杭州智联医疗器械有限公司", "王伟", "+8613812345678", "杭州市"),
                ("智联医械(杭州)有限公司", "王总", "+8613812345678", None),  # the same buyer again
                ("苏州智联医疗器械有限公司", "李娜", "+8613912345678", "苏州市"),  # another company
            ]
        ):
            session.add(
                Lead(
                    source_id=source.id,
                    external_id=f"x{i}",
                    company=company,
                    contact_name=contact,
                    phone=phone,
                    city_hint=city,
                )
            )
