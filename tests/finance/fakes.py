"""An ERP in memory for outbox and worker tests (no HTTP)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import FatalError, RetriableError
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer


class FakeErp:
    """An ERP in memory: bills by key; ``script`` says what each create call does."""

    system = "kingdee"

    def __init__(self, script: list[str] | None = None, delay: float = 0.0) -> None:
        self.bills: dict[str, ErpBill] = {}
        self.creates: Counter[str] = Counter()
        self.finds: Counter[str] = Counter()
        self.script = list(script or [])
        self.delay = delay
        self.lock = threading.Lock()

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        return ErpCustomer(customer.erp_id or "C1", customer.number, customer.name)

    def find_bill(self, bill: BillRequest) -> ErpBill | None:
        with self.lock:
            self.finds[bill.key] += 1
            return self.bills.get(bill.key)

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        return {}

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        if self.delay:
            threading.Event().wait(self.delay)
        with self.lock:
            self.creates[bill.key] += 1
            step = self.script.pop(0) if self.script else "ok"
            if step == "retriable":
                raise RetriableError("kingdee: HTTP 503", connector="kingdee", status=503)
            if step == "fatal":
                raise FatalError("kingdee: vendor code 11 (validation failed): FCUSTOMERID: 客户不存在")
            created = self.bills.setdefault(
                bill.key, ErpBill(f"ID-{bill.key}", bill.key, bill.key, bill.amount)
            )
            if step == "lost":
                raise AmbiguousWriteError("kingdee: Save: no reply (ReadTimeout)")
            return created

    def feeds(self, stream: Any) -> list[str]:
        return []

    def pull(self, feed: str, since: str | None) -> Iterator[list[Any]]:
        return iter(())

    def close(self) -> None:
        pass
