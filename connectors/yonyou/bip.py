"""YonBIP (YonSuite) open API as a :class:`~connectors.erp_gateway.ReceivableGateway`.

No idempotency token: the bill's ``code`` (or ``memo``) holds the business key and is read back with
the list API (``simpleVOs`` ``code eq KEY``) before any retry, as with Kingdee.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import FatalError
from connectors.pagination import PageNumberPaginator, PageRequest, walk_pages
from connectors.yonyou.feeds import ErpRecord, Kind, YonyouGatewayBase, dict_rows
from connectors.yonyou.settings import YonyouSettings
from mapping.erp import yonyou as yy
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer

__all__ = ["BipGateway"]

_DUPLICATE_MARKERS = ("已存在", "重复", "duplicate")


class BipGateway(YonyouGatewayBase):
    @staticmethod
    def feed_kinds(settings: YonyouSettings) -> dict[str, Kind]:
        return {
            settings.bip_customer_list: "customer",
            settings.bip_receipt_list: "receipt",
            settings.bip_write_off_list: "write_off",
            settings.bip_invoice_list: "invoice",
        }

    def _list_page(self, request: PageRequest) -> dict[str, Any]:
        stream = request.url.rsplit("/", 2)[-2]
        reply = self.client.read("POST", request.url, body=request.json, stream=stream)
        data = reply.get("data")
        return dict(data) if isinstance(data, dict) else {}

    def _first(self, path: str, field: str, value: str) -> dict[str, Any] | None:
        body = {"pageIndex": 1, "pageSize": 10, "simpleVOs": [{"field": field, "op": "eq", "value1": value}]}
        rows = dict_rows(self._list_page(PageRequest(path, json=body)), "recordList")
        return rows[0] if rows else None

    def _save(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        reply = self.client.write(path, body={"data": data}, stream=path.rsplit("/", 2)[-2])
        out = reply.get("data")
        return dict(out) if isinstance(out, dict) else {}

    @staticmethod
    def _duplicate(exc: FatalError) -> bool:
        return any(marker in str(exc) for marker in _DUPLICATE_MARKERS)

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        if customer.erp_id:
            return ErpCustomer(customer.erp_id, customer.number, customer.name, customer.uscc)
        s = self.settings
        row = self._first(s.bip_customer_list, "code", customer.number)
        if row is None and customer.uscc:
            row = self._first(s.bip_customer_list, "creditCode", customer.uscc)
        if row is None:
            try:
                row = self._save(s.bip_customer_save, yy.bip_customer(customer, self.codes))
            except (AmbiguousWriteError, FatalError) as exc:
                if isinstance(exc, FatalError) and not self._duplicate(exc):
                    raise
                row = self._first(s.bip_customer_list, "code", customer.number)
                if row is None:
                    raise
        return ErpCustomer(
            str(row.get("id") or ""), str(row.get("code") or customer.number), customer.name, customer.uscc
        )

    def find_bill(self, bill: BillRequest) -> ErpBill | None:
        field = "code" if self.codes.key_field == "bill_no" else "memo"
        row = self._first(self.settings.bip_receivable_list, field, bill.key)
        return yy.bill_from_row(row) if row is not None else None

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        return {}

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        body = yy.bip_receivable(bill, bill.customer.number, self.codes)
        if self.codes.key_field != "bill_no":
            body.pop("code")
        try:
            saved = self._save(self.settings.bip_receivable_save, body)
        except FatalError as exc:
            existing = self.find_bill(bill) if self._duplicate(exc) else None
            if existing is None:
                raise
            return existing
        return ErpBill(str(saved.get("id") or ""), str(saved.get("code") or bill.key), bill.key, bill.amount)

    def pull(self, feed: str, since: str | None) -> Iterator[list[ErpRecord]]:
        filters = [{"field": "pubts", "op": "egt", "value1": yy.yonyou_time(since)}] if since else []
        pages = PageNumberPaginator(
            page_param="pageIndex",
            size_param="pageSize",
            page_size=self.settings.page_size,
            total_pages_path="pageCount",
            location="json",
        )
        request = PageRequest(feed, json={"simpleVOs": filters})
        for rows in walk_pages(pages, request, self._list_page, lambda data: dict_rows(data, "recordList")):
            yield self.table.records(feed, rows)
