"""YonBIP (YonSuite) open API as a :class:`~connectors.erp_gateway.ReceivableGateway`.

Receivables are 其他应收事项 (``oar``). The default save is ``oar/single/save`` ("MDD幂等"): the push
persists a ``resubmitCheckKey`` (client-made, unique, at most 32 characters) before the first send and
re-sends the same one, so a retry cannot create a second bill. ``oar/save`` (set ``bip_receivable_save``)
is the batch API: ``{"data": [bill]}``, not idempotent, and it answers ``code "200"`` even when it
refused the bill, so ``data.failCount`` is checked and a refusal raises :class:`FatalError` with the
vendor's messages (the push dead-letters it with that reason). Either way the bill carries the business
key as its ``code`` and is read back with ``oar/list`` filtered by the top-level ``code``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import FatalError
from connectors.pagination import PageNumberPaginator, PageRequest, walk_pages
from connectors.yonyou.errors import BIP_DUPLICATE_SUBMIT
from connectors.yonyou.feeds import ErpRecord, Kind, YonyouGatewayBase, dict_rows
from connectors.yonyou.settings import YonyouSettings
from core.errors import ConfigError
from mapping.erp import yonyou as yy
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer

__all__ = ["BipGateway", "saved_bill"]

_DUPLICATE_MARKERS = ("已存在", "重复", "duplicate")
RESUBMIT_KEY = "resubmitCheckKey"


def _count(data: Mapping[str, Any], *names: str) -> int:
    for name in names:
        try:
            return int(str(data.get(name)))
        except ValueError:
            continue
    return 0


def saved_bill(data: Any) -> dict[str, Any]:
    """The saved bill in a save reply's ``data``: a batch reply's first ``infos`` entry, or the single
    save's bill itself. A batch reply with ``failCount`` > 0 (or nothing saved) raises FatalError."""
    if not isinstance(data, Mapping):
        return {}
    if "failCount" in data or "sucessCount" in data or "infos" in data:
        infos = dict_rows(data, "infos")
        if _count(data, "failCount", "failCountAI") > 0 or not infos:
            messages = [str(m) for m in data.get("messages") or [] if m]
            raise FatalError(
                f"yonyou: oar/save refused the bill ({data.get('failCount')} failed): "
                + ("; ".join(messages) or "no message"),
                connector="yonyou",
                code="failCount",
            )
        return infos[0]
    return dict(data)


def _bill_id(saved: Mapping[str, Any]) -> str:
    rows = dict_rows(saved, "oarDetail")
    return str(saved.get("id") or (rows[0].get("mainid") if rows else "") or "")


def _conditions(feed: str, filters: list[dict[str, str]], settings: YonyouSettings) -> list[dict[str, Any]]:
    """``simpleVOs`` of a list call. The receipts list v2 documents them grouped (``logicOp`` and
    ``conditions``, DOC-RECEIPT-V2); the other lists are unsourced and keep the flat form."""
    if feed == settings.bip_receipt_list and feed.endswith("/v2"):
        return [{"logicOp": "and", "conditions": filters}] if filters else []
    return filters


class BipGateway(YonyouGatewayBase):
    @staticmethod
    def check_codes(codes: ErpCodes) -> None:
        if codes.key_field != "bill_no":
            raise ConfigError(
                "yonyou bip: oar/list filters by code, not by remark: set numbering.key_field = bill_no"
            )

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
        where = [{"field": field, "op": "eq", "value1": value}]
        body = {"pageIndex": "1", "pageSize": "10", "simpleVOs": where}
        rows = dict_rows(self._list_page(PageRequest(path, json=body)), "recordList")
        return rows[0] if rows else None

    def _save(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.client.write(path, body=body, stream=path.rsplit("/", 2)[-2])
        return saved_bill(reply.get("data"))

    @staticmethod
    def _duplicate(exc: FatalError) -> bool:
        return str(exc.code) in BIP_DUPLICATE_SUBMIT or any(m in str(exc) for m in _DUPLICATE_MARKERS)

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        if customer.erp_id:
            return ErpCustomer(customer.erp_id, customer.number, customer.name, customer.uscc)
        s = self.settings
        row = self._first(s.bip_customer_list, "code", customer.number)
        if row is None and customer.uscc:
            row = self._first(s.bip_customer_list, "creditCode", customer.uscc)
        if row is None:
            try:
                row = self._save(s.bip_customer_save, {"data": yy.bip_customer(customer, self.codes)})
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
        """``oar/list`` with the documented filter: ``code`` at the top level of the body."""
        body = {"pageIndex": "1", "pageSize": "10", "code": bill.key, "isSum": True}
        page = self._list_page(PageRequest(self.settings.bip_receivable_list, json=body))
        rows = [r for r in dict_rows(page, "recordList") if str(r.get("code")) == bill.key]
        return yy.bill_from_row(rows[0]) if rows else None

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        """A new resubmitCheckKey for ``oar/single/save`` (32 hex characters); oar/save takes none."""
        return {RESUBMIT_KEY: uuid.uuid4().hex} if self.settings.bip_single_save else {}

    def request_body(self, bill: BillRequest, tokens: Mapping[str, str]) -> dict[str, Any]:
        """The save body: ``{"data": bill}`` with the resubmitCheckKey, or ``{"data": [bill]}``."""
        single = self.settings.bip_single_save
        data = yy.bip_receivable(bill, bill.customer.number, self.codes, batch=not single)
        if not single:
            return {"data": [data]}
        key = tokens.get(RESUBMIT_KEY) or self.prepare(bill)[RESUBMIT_KEY]
        return {"data": {RESUBMIT_KEY: key, **data}}

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        try:
            saved = self._save(self.settings.bip_receivable_save, self.request_body(bill, tokens))
        except FatalError as exc:
            existing = self.find_bill(bill) if self._duplicate(exc) else None
            if existing is None:
                raise
            return existing
        ident = _bill_id(saved)
        if not ident:  # the single save's reply names no id: the bill is read back by its code
            found = self.find_bill(bill)
            if found is not None:
                return found
        return ErpBill(ident, str(saved.get("code") or bill.key), bill.key, bill.amount)

    def pull(self, feed: str, since: str | None) -> Iterator[list[ErpRecord]]:
        filters = [{"field": "pubts", "op": "egt", "value1": yy.yonyou_time(since)}] if since else []
        pages = PageNumberPaginator(
            page_param="pageIndex",
            size_param="pageSize",
            page_size=self.settings.page_size,
            total_pages_path="pageCount",
            location="json",
            as_text=True,  # typed string in every list the docs show (oar/list, receivebill/list v1, v2)
        )
        request = PageRequest(feed, json={"simpleVOs": _conditions(feed, filters, self.settings)})
        for rows in walk_pages(pages, request, self._list_page, lambda data: dict_rows(data, "recordList")):
            yield self.table.records(feed, rows)
