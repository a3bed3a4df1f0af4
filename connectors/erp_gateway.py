"""What the push and reconcile code asks of an ERP connector, in the hub's own terms.

The Kingdee and Yonyou connectors implement :class:`ReceivableGateway`; ``mapping/erp`` turns these
records (``mapping.erp.records``) into each vendor's payloads. Nothing here knows a wire format.

Exactly once: every bill carries ``bill.key`` (the ERP-side form of the hub's business key) where
the ERP lets us query it. ``create_bill`` raises :class:`AmbiguousWriteError` when the request may
have been executed (a timeout after sending, a reset connection, a 5xx): the caller must then read
back with ``find_bill`` before anything is sent again. Only failures that prove the request was not
executed (connection refused, HTTP 429, a vendor rate-limit code, a session-expired reply) are
retried inside the connector.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal, Protocol

from connectors.errors import ConnectorError
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer, ErpInvoice, ErpSettlement

__all__ = ["AmbiguousWriteError", "ReceivableGateway", "Stream"]

Stream = Literal["customers", "settlements", "invoices"]


class AmbiguousWriteError(ConnectorError):
    """A write may or may not have reached the ERP: read back by business key before retrying."""


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
