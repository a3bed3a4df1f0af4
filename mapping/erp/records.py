"""The ERP records in the hub's own terms: what the push asks an ERP to hold (a customer, a receivable
bill) and what the reconcile reads back (customers, settlements, invoices).

``mapping/erp`` turns them into each vendor's payloads and back; the ERP connectors pass them through
:class:`connectors.erp_gateway.ReceivableGateway`. Nothing here knows a wire format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

__all__ = ["BillRequest", "CustomerRequest", "ErpBill", "ErpCustomer", "ErpInvoice", "ErpSettlement"]


@dataclass(frozen=True)
class CustomerRequest:
    hub_id: int
    number: str  # the ERP customer number to use (known ref, or from the numbering rule)
    name: str
    uscc: str | None = None
    address: str | None = None
    phone: str | None = None  # personal data: sent to the ERP, never logged
    erp_id: str | None = None  # known ERP id from an earlier link


@dataclass(frozen=True)
class ErpCustomer:
    erp_id: str
    number: str
    name: str
    uscc: str | None = None
    address: str | None = None
    phone: str | None = None
    modified_at: str | None = None  # cursor text (ISO, Beijing time)


@dataclass(frozen=True)
class BillRequest:
    business_key: str  # the hub's key, e.g. HT-2026-001#1
    key: str  # the same key as the ERP holds it (bill number or remark)
    contract_number: str
    installment_no: int
    installment_count: int
    customer: CustomerRequest
    amount: Decimal
    currency: str
    tax_rate: Decimal
    bill_date: date
    due_date: date
    owner: str | None = None


@dataclass(frozen=True)
class ErpBill:
    erp_id: str
    number: str
    key: str | None = None
    amount: Decimal | None = None
    status: str | None = None


@dataclass(frozen=True)
class ErpSettlement:
    """Money settled against a receivable: a receipt (收款) or a bad-debt write-off."""

    erp_id: str
    kind: Literal["receipt", "write_off"]
    bill_number: str  # the receivable bill it settles (source bill number)
    amount: Decimal
    occurred_on: date
    modified_at: str


@dataclass(frozen=True)
class ErpInvoice:
    erp_id: str
    number: str
    kind: Literal["special", "ordinary"]
    bill_number: str  # the receivable bill it was issued for
    amount: Decimal
    issued_on: date
    modified_at: str
