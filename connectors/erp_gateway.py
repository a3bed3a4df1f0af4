"""What the push and reconcile code asks of an ERP connector, in the hub's own terms.

The Kingdee and Yonyou connectors implement :class:`ReceivableGateway`; ``mapping/erp`` turns these
records into each vendor's payloads. Nothing here knows a wire format.

Exactly once: every bill carries ``bill.key`` (the ERP-side form of the hub's business key) where
the ERP lets us query it. ``create_bill`` raises :class:`AmbiguousWriteError` when the request may
have been executed (a timeout after sending, a reset connection, a 5xx): the caller must then read
back with ``find_bill`` before anything is sent again. Only failures that prove the request was not
executed (connection refused, HTTP 429, a vendor rate-limit code, a session-expired reply) are
retried inside the connector.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from connectors.errors import ConnectorError

__all__ = [
    "AmbiguousWriteError",
    "BillRequest",
    "CustomerRequest",
    "ErpBill",
    "ErpCustomer",
    "ErpInvoice",
    "ErpSettlement",
    "ReceivableGateway",
    "Stream",
]

Stream = Literal["customers", "settlements", "invoices"]


class AmbiguousWriteError(ConnectorError):
    """A write may or may not have reached the ERP: read back by business key before retrying."""


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


class ReceivableGateway(Protocol):
    """One ERP, as the push and reconcile code sees it. Implementations are thread-safe."""

    system: str

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        """Find the customer by id, number or USCC, else create it; the ERP's record."""
        ...

    def find_bill(self, bill: BillRequest) -> ErpBill | None:
        """The receivable holding ``bill.key``, or None; safe to call any number of times."""
        ...

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        """Idempotency tokens to persist *before* the first send (U8: the tradeid); {} if none."""
        ...

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        """Create (and submit and audit) the receivable; AmbiguousWriteError when unsure."""
        ...

    def feeds(self, stream: Stream) -> list[str]:
        """The ERP lists (forms, resources, paths) that make up ``stream``, each with its own cursor."""
        ...

    def pull(self, feed: str, since: str | None) -> Iterator[list[ErpCustomer | ErpSettlement | ErpInvoice]]:
        """Pages of ``feed`` modified at or after ``since`` (closed bound), oldest first."""
        ...

    def close(self) -> None: ...
