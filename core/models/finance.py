"""Contracts and what follows them: receivable installments, invoices and payments.

All three are linked by the contract number, which is also the stem of every ERP business key.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Audited, Base, Timestamps


class Contract(Audited, Timestamps, Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), default=None)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    tax_rate: Mapped[Decimal] = mapped_column(default=Decimal("0.13"))
    signed_at: Mapped[datetime]
    payment_terms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    owner: Mapped[str | None] = mapped_column(String(60), default=None)
    status: Mapped[str] = mapped_column(String(20), default="signed", doc="signed | cancelled | closed")


class ReceivableInstallment(Audited, Timestamps, Base):
    """One scheduled receivable; ``business_key`` (contract number + installment) goes on the ERP bill."""

    __tablename__ = "receivable_installments"
    __table_args__ = (UniqueConstraint("contract_id", "installment_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    installment_no: Mapped[int]
    business_key: Mapped[str] = mapped_column(String(80), unique=True)
    amount: Mapped[Decimal]
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(
        String(20),
        default="scheduled",
        doc="scheduled | pushed | invoiced | partially_paid | paid | overdue | written_off",
    )
    invoiced_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    paid_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    erp_system: Mapped[str | None] = mapped_column(String(20), default=None)
    erp_id: Mapped[str | None] = mapped_column(String(60), default=None)
    erp_number: Mapped[str | None] = mapped_column(String(60), default=None)
    pushed_at: Mapped[datetime | None] = mapped_column(default=None)


class Invoice(Audited, Timestamps, Base):
    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("erp_system", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    installment_id: Mapped[int | None] = mapped_column(
        ForeignKey("receivable_installments.id"), default=None, index=True
    )
    erp_system: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="special", doc="special (专票) | ordinary (普票)")
    amount: Mapped[Decimal]
    issued_at: Mapped[datetime]


class Payment(Audited, Timestamps, Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("erp_system", "erp_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    installment_id: Mapped[int | None] = mapped_column(
        ForeignKey("receivable_installments.id"), default=None, index=True
    )
    erp_system: Mapped[str] = mapped_column(String(20))
    erp_id: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal]
    paid_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20), default="receipt", doc="receipt | write_off")
