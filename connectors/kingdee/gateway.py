"""Kingdee as a :class:`~connectors.erp_gateway.ReceivableGateway`: customers (BD_Customer), receivables
(AR_receivable), receipts (AR_RECEIVEBILL), write-offs and invoices, through ``KingdeeClient``.

Exactly once: the bill's key is its ``FBillNo`` (manual numbering; the ERP refuses a second bill with
the same number) or its ``FAR_Remark``; ``find_bill`` queries it. A Save refused because the number
is taken means an earlier attempt created the bill: it is read back and returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from connectors.erp_gateway import AmbiguousWriteError, Stream
from connectors.http import RequestMetrics
from connectors.kingdee.client import KingdeeClient, SaveRefused
from connectors.kingdee.errors import is_duplicate_number
from connectors.kingdee.settings import KingdeeSettings
from connectors.redaction import get_logger
from mapping.erp import kingdee as kd
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer, ErpInvoice, ErpSettlement

__all__ = ["AR_FORM", "CUSTOMER_FORM", "RECEIPT_FORM", "KingdeeGateway"]

AR_FORM = "AR_receivable"
CUSTOMER_FORM = "BD_Customer"
RECEIPT_FORM = "AR_RECEIVEBILL"
logger = get_logger("synchub.connectors.kingdee")


class KingdeeGateway:
    system = "kingdee"

    def __init__(
        self,
        settings: KingdeeSettings,
        codes: ErpCodes,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.codes = codes
        self.client = KingdeeClient(settings, transport=transport, metrics=metrics)

    def close(self) -> None:
        self.client.close()

    # -- customers ------------------------------------------------------------------------------
    def _find_customer(self, field: str, value: str) -> ErpCustomer | None:
        rows = self.client.query(CUSTOMER_FORM, kd.CUSTOMER_FIELDS, f"{field}={kd.quote(value)}", limit=2)
        return kd.customer_from_row(rows[0]) if rows else None

    def ensure_customer(self, customer: CustomerRequest) -> ErpCustomer:
        if customer.erp_id:
            return ErpCustomer(customer.erp_id, customer.number, customer.name, customer.uscc)
        found = self._find_customer("FNumber", customer.number)
        if found is None and customer.uscc:
            found = self._find_customer("FSOCIALCRECODE", customer.uscc)
        if found is not None:
            return found
        data = {
            "NeedReturnFields": ["FNumber"],
            "IsAutoSubmitAndAudit": "true",
            "IsVerifyBaseDataField": "false",
            "Model": kd.customer_model(customer, self.codes),
        }
        try:
            result = self.client.write("Save", CUSTOMER_FORM, data)
        except (AmbiguousWriteError, SaveRefused) as exc:
            if isinstance(exc, SaveRefused) and not is_duplicate_number(exc.reply_status):
                raise
            found = self._find_customer("FNumber", customer.number)
            if found is None:
                raise
            return found
        logger.info("kingdee: created customer %s for hub customer %d", customer.number, customer.hub_id)
        return ErpCustomer(
            str(result.get("Id", "")),
            str(result.get("Number") or customer.number),
            customer.name,
            customer.uscc,
        )

    # -- receivables ----------------------------------------------------------------------------
    def find_bill(self, bill: BillRequest) -> ErpBill | None:
        field = "FBillNo" if self.codes.key_field == "bill_no" else "FAR_Remark"
        rows = self.client.query(
            AR_FORM, kd.BILL_FIELDS, f"{field}={kd.quote(bill.key)}", order="FID ASC", limit=5
        )
        if len(rows) > 1:
            logger.error("kingdee: %d receivables carry the key %s; using the first", len(rows), bill.key)
        return kd.bill_from_row(rows[0]) if rows else None

    def prepare(self, bill: BillRequest) -> dict[str, str]:
        return {}

    def create_bill(self, bill: BillRequest, tokens: Mapping[str, str]) -> ErpBill:
        auto = "true" if self.settings.auto_submit_audit else "false"
        data: dict[str, Any] = {
            "NeedUpDateFields": [],
            "NeedReturnFields": ["FBillNo"],
            "IsDeleteEntry": "true",
            "IsVerifyBaseDataField": "false",
            "IsAutoSubmitAndAudit": auto,
            "Model": kd.receivable_model(
                bill,
                bill.customer.number,
                self.codes,
                main_book_currency=self.settings.main_book_currency,
                exchange_type=self.settings.exchange_type,
            ),
        }
        try:
            result = self.client.write("Save", AR_FORM, data)
        except SaveRefused as exc:
            existing = self.find_bill(bill) if is_duplicate_number(exc.reply_status) else None
            if existing is None:
                raise
            logger.info("kingdee: %s already exists (an earlier attempt created it)", bill.key)
            return existing
        entity = (result.get("ResponseStatus", {}).get("SuccessEntitys") or [{}])[0]
        number = str(result.get("Number") or entity.get("Number") or bill.key)
        created = ErpBill(str(result.get("Id") or entity.get("Id")), number, bill.key, bill.amount)
        if not self.settings.auto_submit_audit:
            for op in ("Submit", "Audit"):
                self.client.write(op, AR_FORM, {"Numbers": [number], "Ids": ""})
        return created

    # -- incremental pulls ----------------------------------------------------------------------
    def feeds(self, stream: Stream) -> list[str]:
        """The forms one stream reads, each with its own cursor."""
        s = self.settings
        return {
            "customers": [CUSTOMER_FORM],
            "settlements": [RECEIPT_FORM, s.write_off_form],
            "invoices": [s.special_invoice_form, s.ordinary_invoice_form],
        }[stream]

    def _fields(self, form: str) -> tuple[str, ...]:
        if form == CUSTOMER_FORM:
            return kd.CUSTOMER_FIELDS
        if form == RECEIPT_FORM:
            return kd.RECEIPT_FIELDS
        return kd.WRITE_OFF_FIELDS if form == self.settings.write_off_form else kd.INVOICE_FIELDS

    def _record(self, form: str, row: list[Any]) -> ErpCustomer | ErpSettlement | ErpInvoice:
        if form == CUSTOMER_FORM:
            return kd.customer_from_row(row)
        if form in (RECEIPT_FORM, self.settings.write_off_form):
            return kd.settlement_from_row(row, write_off=form == self.settings.write_off_form)
        return kd.invoice_from_row(row, special=form == self.settings.special_invoice_form)

    def pull(self, feed: str, since: str | None) -> Iterator[list[ErpCustomer | ErpSettlement | ErpInvoice]]:
        """Pages of ``feed`` (a form id) modified at or after ``since``, oldest first.

        Keyset paging: each page asks for ``FModifyDate >= last time seen`` and skips the rows already
        read at exactly that time, so rows changed during the pull cannot shift a page boundary.
        """
        fields, key = self._fields(feed), ("FCUSTID" if feed == CUSTOMER_FORM else "FID")
        bound, ties = since, 0
        while True:
            where = f"FModifyDate>={kd.quote(kd.kingdee_time(bound))}" if bound else ""
            rows = self.client.query(feed, fields, where, order=f"FModifyDate ASC,{key} ASC", start=ties)
            if not rows:
                return
            page = [self._record(feed, row) for row in rows]
            yield page
            if len(rows) < self.settings.query_limit:
                return
            last = page[-1].modified_at
            ties = (ties if last == bound else 0) + sum(1 for r in page if r.modified_at == last)
            bound = last
