"""Yonyou U8 / U8+ OpenAPI as a :class:`~connectors.erp_gateway.ReceivableGateway`.

Writes take a one-time ``tradeid`` (``GET /system/tradeid``) and ``POST /api/<resource>/add``;
the gateway returns the first result for a re-sent tradeid, so the push persists the tradeid before
the first send (``prepare``) and re-sends the same one. Vouchers carry the business key as their
``code`` (manual numbering), read back with ``GET /api/<resource>/get?id=<code>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import FatalError
from connectors.pagination import PageNumberPaginator, PageRequest, walk_pages
from connectors.redaction import get_logger
from connectors.yonyou.feeds import ErpRecord, Kind, YonyouGatewayBase, dict_rows
from connectors.yonyou.settings import YonyouSettings
from core.errors import ConfigError
from mapping.erp import yonyou as yy
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer

__all__ = ["U8Gateway"]

logger = get_logger("synchub.connectors.yonyou.u8")
DUPLICATE = "20003"


class U8Gateway(YonyouGatewayBase):
    @staticmethod
    def check_codes(codes: ErpCodes) -> None:
        if codes.key_field != "bill_no":
            raise ConfigError("yonyou u8: vouchers are read back by code: set numbering.key_field = bill_no")

    @staticmethod
    def feed_kinds(settings: YonyouSettings) -> dict[str, Kind]:
        return {
            settings.u8_customer: "customer",
            settings.u8_receipt: "receipt",
            settings.u8_write_off: "write_off",
            settings.u8_invoice: "invoice",
        }

    def _params(self, **extra: str) -> dict[str, str]:
        return {"to_account": self.settings.to_account, "ds_sequence": self.settings.ds_sequence, **extra}

    def _get(self, resource: str, code: str) -> dict[str, Any] | None:
        try:
            reply = self.client.read(
                "GET", f"/api/{resource}/get", params=self._params(id=code), stream=resource
            )
        except FatalError as exc:
            if self.client.not_found(exc):
                return None
            raise
        found = reply.get(resource)
        return dict(found) if isinstance(found, dict) else None

    def _tradeid(self) -> str:
        reply = self.client.read("GET", "/system/tradeid", stream="tradeid")
        trade = reply.get("trade")
        if not isinstance(trade, dict) or not trade.get("id"):
            raise FatalError("yonyou: tradeid reply without trade.id", connector="yonyou")
        return str(trade["id"])

    def _add(self, resource: str, body: dict[str, Any], tradeid: str) -> dict[str, Any]:
        return self.client.write(
            f"/api/{resource}/add",
            params=self._params(tradeid=tradeid),
            body={resource: body},
            stream=resource,
        )

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        if customer.erp_id:
            return ErpCustomer(customer.erp_id, customer.number, customer.name, customer.uscc)
        resource = self.settings.u8_customer
        row = self._get(resource, customer.number)
        if row is None:
            try:
                reply = self._add(resource, yy.u8_customer(customer, self.codes), self._tradeid())
                row = {"id": reply.get("id"), "code": customer.number, "name": customer.name}
            except (AmbiguousWriteError, FatalError) as exc:
                if isinstance(exc, FatalError) and str(exc.code) != DUPLICATE:
                    raise
                row = self._get(resource, customer.number)
                if row is None:
                    raise
        return ErpCustomer(
            str(row.get("id") or ""), str(row.get("code") or customer.number), customer.name, customer.uscc
        )

    def find_bill(self, bill: BillRequest) -> ErpBill | None:
        row = self._get(self.settings.u8_receivable, bill.key)
        return yy.bill_from_row(row) if row is not None else None

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        return {"tradeid": self._tradeid()}

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        body = yy.u8_receivable(bill, bill.customer.number, self.codes)
        try:
            reply = self._add(self.settings.u8_receivable, body, tokens.get("tradeid") or self._tradeid())
        except FatalError as exc:
            existing = self.find_bill(bill) if str(exc.code) == DUPLICATE else None
            if existing is None:
                raise
            return existing
        if not reply.get("id"):  # accepted asynchronously: the voucher shows up by its code
            found = self.find_bill(bill)
            if found is None:
                raise AmbiguousWriteError(
                    f"yonyou: {bill.key} accepted but not visible yet", connector="yonyou"
                )
            return found
        return ErpBill(str(reply["id"]), bill.key, bill.key, bill.amount)

    def pull(self, feed: str, since: str | None) -> Iterator[list[ErpRecord]]:
        params = self._params(**({"ts_begin": yy.yonyou_time(since)} if since else {}))
        pages = PageNumberPaginator(
            page_param="page_index",
            size_param="rows_per_page",
            page_size=self.settings.page_size,
            total_pages_path="page_count",
        )
        request = PageRequest(f"/api/{feed}/batch_get", params=params)

        def fetch(r: PageRequest) -> dict[str, Any]:
            return self.client.read("GET", r.url, params=r.params, stream=feed)

        for rows in walk_pages(pages, request, fetch, lambda reply: dict_rows(reply, feed)):
            yield self.table.records(feed, rows)
