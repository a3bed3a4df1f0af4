"""Receivables as finance reads them: contract by contract, installment by installment, and the
ERP pushes that went dead (``services.finance.outbox``) with their retry."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from core.models import Contract, Customer, OutboxMessage, ReceivableInstallment
from core.redact import mask_text
from hub.web.clock import cst_today
from hub.web.data.search import MatchView, receivable_matches
from services.finance.outbox import list_messages
from services.finance.overdue import SETTLED, installment_days_overdue
from store.engine import session_scope

__all__ = [
    "ContractView",
    "DeadLetter",
    "InstallmentView",
    "ReceivablesPage",
    "ReceivablesQuery",
    "dead_letters",
    "outbox_counts",
    "receivables",
]


class ReceivablesQuery(BaseModel):
    q: str | None = None
    overdue_only: bool = False
    unpushed_only: bool = False
    limit: int = 50
    offset: int = 0


class InstallmentView(BaseModel):
    id: int
    no: int
    business_key: str
    amount: Decimal
    due_date: date
    status: str
    pushed: bool
    erp_system: str | None
    erp_id: str | None
    erp_number: str | None
    pushed_at: datetime | None
    invoiced_amount: Decimal
    paid_amount: Decimal
    days_overdue: int


class ContractView(BaseModel):
    id: int
    number: str
    customer_id: int
    customer_name: str
    amount: Decimal
    currency: str
    signed_at: datetime
    owner: str | None
    status: str
    installments: list[InstallmentView]
    outstanding: Decimal
    max_days_overdue: int


class ReceivablesPage(BaseModel):
    contracts: list[ContractView]
    total: int
    today: date
    matches: list[MatchView] = []  # what the search box found (``services.search``), best first


class DeadLetter(BaseModel):
    id: int
    business_key: str
    status: str
    attempts: int
    next_attempt_at: str
    last_error: str | None


def _installment(inst: ReceivableInstallment, today: date) -> InstallmentView:
    return InstallmentView(
        id=inst.id,
        no=inst.installment_no,
        business_key=inst.business_key,
        amount=inst.amount,
        due_date=inst.due_date,
        status=inst.status,
        pushed=inst.erp_id is not None or inst.pushed_at is not None,
        erp_system=inst.erp_system,
        erp_id=inst.erp_id,
        erp_number=inst.erp_number,
        pushed_at=inst.pushed_at,
        invoiced_amount=inst.invoiced_amount,
        paid_amount=inst.paid_amount,
        days_overdue=installment_days_overdue(inst, today),
    )


def receivables(engine: Engine, q: ReceivablesQuery, today: date | None = None) -> ReceivablesPage:
    """Contracts (newest signed first) with their installments; filters narrow the contracts."""
    today = today or cst_today()
    query = select(Contract, Customer.name).join(Customer, Customer.id == Contract.customer_id)
    matches: list[MatchView] = []
    if q.q:  # contract number, company name (fuzzy), phone: the contracts of what it names
        scope = receivable_matches(engine, q.q)
        matches = scope.matches
        query = query.where(
            or_(Contract.id.in_(scope.contract_ids), Contract.customer_id.in_(scope.customer_ids))
        )
    open_inst = select(ReceivableInstallment.contract_id).where(ReceivableInstallment.status.not_in(SETTLED))
    if q.overdue_only:
        query = query.where(
            Contract.id.in_(open_inst.where(ReceivableInstallment.due_date < today).scalar_subquery())
        )
    if q.unpushed_only:
        query = query.where(
            Contract.id.in_(
                select(ReceivableInstallment.contract_id)
                .where(ReceivableInstallment.erp_id.is_(None), ReceivableInstallment.pushed_at.is_(None))
                .scalar_subquery()
            )
        )
    with session_scope(engine) as s:
        total = int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = s.execute(
            query.order_by(Contract.signed_at.desc(), Contract.id.desc()).limit(q.limit).offset(q.offset)
        ).all()
        ids = [contract.id for contract, _ in rows]
        by_contract: dict[int, list[InstallmentView]] = {i: [] for i in ids}
        if ids:
            found = s.scalars(
                select(ReceivableInstallment)
                .where(ReceivableInstallment.contract_id.in_(ids))
                .order_by(ReceivableInstallment.contract_id, ReceivableInstallment.installment_no)
            )
            for inst in found:
                by_contract[inst.contract_id].append(_installment(inst, today))
        contracts = []
        for contract, name in rows:
            items = by_contract[contract.id]
            contracts.append(
                ContractView(
                    id=contract.id,
                    number=contract.number,
                    customer_id=contract.customer_id,
                    customer_name=name,
                    amount=contract.amount,
                    currency=contract.currency,
                    signed_at=contract.signed_at,
                    owner=contract.owner,
                    status=contract.status,
                    installments=items,
                    outstanding=sum(
                        (i.amount - i.paid_amount for i in items if i.status not in SETTLED), Decimal(0)
                    ),
                    max_days_overdue=max((i.days_overdue for i in items), default=0),
                )
            )
    return ReceivablesPage(contracts=contracts, total=total, today=today, matches=matches)


def dead_letters(engine: Engine, limit: int = 50) -> list[DeadLetter]:
    """Dead ERP pushes (``services.finance.outbox.list_messages``), errors masked."""
    return [
        DeadLetter(**{**m, "last_error": mask_text(m["last_error"]) if m["last_error"] else None})
        for m in list_messages(engine, "dead", limit)
    ]


def outbox_counts(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as s:
        rows = s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return {str(status): int(n) for status, n in rows}
