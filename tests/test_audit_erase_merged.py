"""Erasure after a merge (issues 18 and 20): a merge copies a member's buyer (phone, e-mail) to its
golden customer as a contact; erasing the lead must take the person's values from there too."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from audit.context import audit_context
from audit.personal import erase_personal_data
from audit.verify import verify_ledger
from core.models import Contact, Customer, Lead, Source
from dedupe.merge import merge_customers
from store.engine import session_scope

PHONE, EMAIL = "+8613911112222", "wang.buyer@renhe-med.cn"


def test_erasing_a_merged_members_lead_clears_the_copy_under_the_golden(store: Engine) -> None:
    with audit_context(actor="user:test"), session_scope(store) as s:
        older = Customer(name="南京鼓楼仁和医疗设备有限公司", phone="+8602584001234")
        s.add(older)
        s.flush()
        member = Customer(name="仁和医疗设备(南京)", phone=PHONE, email=EMAIL)
        source = Source(name="web:test", kind="web_form", config={})
        s.add_all([member, source])
        s.flush()
        s.add(Contact(customer_id=member.id, name="王采购", phone=PHONE, email=EMAIL))
        lead = Lead(source_id=source.id, external_id="m-1", contact_name="王采购", phone=PHONE, email=EMAIL,
                    company="仁和医疗设备(南京)", customer_id=member.id)  # fmt: skip
        s.add(lead)
        s.flush()
        golden_id, lead_id = older.id, lead.id
        merge_customers(s, older.id, member.id, {"why": "test"}, None, "test merge")
    with session_scope(store) as s:
        copied = s.scalars(select(Contact).where(Contact.customer_id == golden_id)).all()
        assert any(c.phone == PHONE for c in copied)  # the buyer reached the golden customer
    with audit_context(actor="user:dpo"), session_scope(store) as s:
        erase_personal_data(s, s.get_one(Lead, lead_id), "PIPL request")
    with store.connect() as conn:
        for table in ("contacts", "customers", "leads"):
            rows = conn.execute(text(f"select * from {table}")).all()
            dump = repr(rows)
            assert "13911112222" not in dump and EMAIL not in dump, table
    assert verify_ledger(store).ok
