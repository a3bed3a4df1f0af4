"""A small, known hub for the console tests: customers with a pending review pair and a merged
cluster, leads at every stage from two sources and territories, contracts with installments in
every state, dead and pending ERP pushes, quarantine, a flow run, a cursor, a signed checkpoint.

Every row goes through the ORM (so it is in the ledger). ``PHONE`` appears in customers, leads and
an error message: no page or API answer may show it in full.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.checkpoint import create_checkpoint
from audit.context import audit_context
from connectors.base import SourceRecord
from core.models import (
    Contract,
    Customer,
    Lead,
    OutboxMessage,
    Payment,
    QuarantinedRecord,
    ReceivableInstallment,
    Source,
    SyncCursor,
)
from core.settings import HubSettings
from dedupe import CustomerMatcher
from hub.web import UserStore, WebSettings
from hub.web.clock import CST
from mapping import company_core
from services.intake.landing import land_records
from store.engine import session_scope

PHONE = "13812345678"
SECRET = "test-console-secret-0123456789abcdef"
PASSWORD = "correct horse battery"
USERS = {  # name -> roles
    "wang": ["admin"],
    "li": ["auditor"],
    "zhao": ["finance"],
    "chen": ["ops"],
    "liu": ["sales_manager"],
    "root": ["admin", "auditor", "finance", "ops", "sales_manager"],
}
FLOW_RUN = "0b7d6c1e-4a5b-4c3d-9e8f-1a2b3c4d5e6f"
HZ = {"name": "杭州智联医疗器械有限公司", "phone": f"+86{PHONE}", "city": "杭州市", "province": "浙江省"}
HZ_2 = {"name": "智联医械(杭州)有限公司", "phone": f"+86{PHONE}", "email": "wang@zhilian.com"}
SZ = {"name": "苏州智联医疗器械有限公司", "phone": f"+86{PHONE}", "city": "苏州市"}


@dataclass(frozen=True)
class Seeded:
    golden: int  # HZ: golden of the automatic merge with HZ_2
    member: int  # HZ_2
    other: int  # SZ: pending review against HZ
    candidate: int  # the pending pair
    dead_message: int
    quarantined: int
    leads: int


def write_users(path: Path) -> Path:
    store = UserStore(path)
    for name, roles in USERS.items():
        store.add(name, roles, PASSWORD, display_name=name.upper())
    return path


def signing_settings() -> HubSettings:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return HubSettings(audit_signing_key=SecretStr(base64.b64encode(raw).decode()))


def web_settings(**overrides: Any) -> WebSettings:
    return WebSettings(secret=SecretStr(SECRET), prefect_ui_url="http://prefect.test:4200", **overrides)


def _customers(s: Session) -> tuple[int, int, int]:
    matcher = CustomerMatcher.from_store(s)
    ids = []
    for values in (HZ, HZ_2, SZ):
        customer = Customer(name_norm=company_core(values["name"]).core, **values)
        s.add(customer)
        s.flush()
        matcher.add_customer(s, customer)
        ids.append(customer.id)
    return ids[0], ids[1], ids[2]


def _leads(s: Session, now: datetime, customer: int) -> tuple[list[Lead], list[Source]]:
    ads = Source(
        name="ocean-main",
        kind="ocean_engine",
        expected_interval_s=600,
        last_delivery_at=now - timedelta(hours=2),
    )
    form = Source(
        name="官网表单",
        kind="web_form",
        expected_interval_s=3600,
        last_delivery_at=now - timedelta(minutes=5),
    )
    s.add_all([ads, form])
    s.flush()
    plan = [  # source, stage, contacted, adcode, team
        (ads, "new", False, "330106", None),
        (ads, "assigned", False, "330106", "浙江一组"),
        (ads, "contacted", True, "330106", "浙江一组"),
        (ads, "qualified", True, "320505", "江苏组"),
        (ads, "proposal", True, "320505", "江苏组"),
        (ads, "won", True, "330106", "浙江一组"),
        (form, "new", False, "320505", None),
        (form, "contacted", True, None, None),
        (form, "lost", True, "330106", "浙江一组"),
        (form, "won", True, "320505", "江苏组"),
    ]
    leads = []
    for i, (src, stage, contacted, adcode, team) in enumerate(plan):
        lead = Lead(
            source_id=src.id,
            external_id=f"ext-{i}",
            contact_name="王小明",
            phone=f"+86{PHONE}",
            company=f"测试公司{i}",
            adcode=adcode,
            team=team,
            owner="zhangsan" if team else None,
            stage=stage,
            assigned_at=now - timedelta(hours=5) if team else None,
            first_contact_at=now - timedelta(hours=1) if contacted else None,
            sla_due_at=now - timedelta(hours=2),
            escalated_at=now - timedelta(minutes=30) if stage == "assigned" else None,
            customer_id=customer,
        )
        s.add(lead)
        leads.append(lead)
    s.flush()
    return leads, [ads, form]


def _finance(s: Session, now: datetime, customer: int, won: list[Lead]) -> int:
    # days overdue count Beijing calendar days: after 16:00 UTC the UTC date is a day behind
    today = now.astimezone(CST).date()
    first = Contract(
        number="HT-2026-001", customer_id=customer, lead_id=won[0].id, amount=Decimal("30000"), signed_at=now
    )
    second = Contract(
        number="HT-2026-002", customer_id=customer, lead_id=won[1].id, amount=Decimal("8000"), signed_at=now
    )
    s.add_all([first, second])
    s.flush()
    rows = [
        (first, 1, "10000", today - timedelta(days=40), "paid", "10000", "10000", "K-1"),
        (first, 2, "10000", today - timedelta(days=12), "overdue", "10000", "2000", "K-2"),
        (first, 3, "10000", today + timedelta(days=30), "scheduled", "0", "0", None),
        (second, 1, "8000", today + timedelta(days=10), "scheduled", "0", "0", None),
    ]
    installments = []
    for contract, no, amount, due, status, invoiced, paid, erp in rows:
        inst = ReceivableInstallment(
            contract_id=contract.id,
            installment_no=no,
            business_key=f"{contract.number}-{no}",
            amount=Decimal(amount),
            due_date=due,
            status=status,
            invoiced_amount=Decimal(invoiced),
            paid_amount=Decimal(paid),
            erp_system="kingdee" if erp else None,
            erp_id=f"{erp}-id" if erp else None,
            erp_number=erp,
            pushed_at=now - timedelta(days=50) if erp else None,
        )
        s.add(inst)
        installments.append(inst)
    s.flush()
    s.add(
        Payment(
            contract_id=first.id,
            installment_id=installments[0].id,
            erp_system="kingdee",
            erp_id="P-1",
            amount=Decimal("10000"),
            paid_at=now,
        )
    )
    dead = OutboxMessage(
        topic="erp.receivable.push",
        business_key=f"kingdee:{installments[2].business_key}",
        aggregate_type="receivable_installment",
        aggregate_id=installments[2].id,
        payload={
            "system": "kingdee",
            "installment_id": installments[2].id,
            "business_key": installments[2].business_key,
        },
        status="dead",
        attempts=8,
        last_error=f"fatal: customer contact {PHONE} rejected by the ERP",
    )
    pending = OutboxMessage(
        topic="erp.receivable.push",
        business_key=f"kingdee:{installments[3].business_key}",
        aggregate_type="receivable_installment",
        aggregate_id=installments[3].id,
        payload={
            "system": "kingdee",
            "installment_id": installments[3].id,
            "business_key": installments[3].business_key,
        },
    )
    s.add_all([dead, pending])
    s.flush()
    return dead.id


def seed(engine: Engine, settings: HubSettings, now: datetime | None = None) -> Seeded:
    now = now or datetime.now(UTC)
    with audit_context(actor="test:seed"), session_scope(engine) as s:
        golden, member, other = _customers(s)
        from dedupe import list_candidates

        candidate = list_candidates(s)[0].id
        leads, sources = _leads(s, now, golden)
        dead = _finance(s, now, golden, [lead for lead in leads if lead.stage == "won"])
        unmappable = {
            "clue_id": "c-9",
            "name": "王总",
            "telephone": "",
            "remark_dict": {"备注": f"回电 {PHONE}"},
        }
        land_records(s, sources[0], [SourceRecord(external_id="c-9", account="1001", payload=unmappable)])
        held = s.scalars(select(QuarantinedRecord)).one()
        s.add(
            SyncCursor(
                connector="ocean_engine", stream="clues", account="main", value="2026-05-01T10:00:00+08:00"
            )
        )
        s.flush()
        quarantined = held.id
    flow = audit_context(actor="flow:pull-source/crimson-fox", correlation_id=f"flow-run:{FLOW_RUN}")
    with flow, session_scope(engine) as s:
        s.get_one(Source, sources[0].id).config = {"run": str(uuid.uuid4())}
    from audit.checkpoint import load_signing_key

    create_checkpoint(engine, load_signing_key(settings))
    return Seeded(golden, member, other, candidate, dead, quarantined, len(leads))


__all__ = [
    "PASSWORD",
    "PHONE",
    "SECRET",
    "USERS",
    "Seeded",
    "seed",
    "signing_settings",
    "web_settings",
    "write_users",
]
