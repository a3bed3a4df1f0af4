"""What both Yonyou gateways (YonBIP and U8) pull: which list feeds make up a stream, and how a row of
each feed becomes an ERP record. The gateways differ only in the feed names and the page protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from hub.finance.gateway import ErpCustomer, ErpInvoice, ErpSettlement, Stream
from mapping.erp import yonyou as yy

__all__ = ["ErpRecord", "FeedTable", "dict_rows"]

Kind = Literal["customer", "receipt", "write_off", "invoice"]
ErpRecord = ErpCustomer | ErpSettlement | ErpInvoice

_STREAM_KINDS: dict[Stream, tuple[Kind, ...]] = {
    "customers": ("customer",),
    "settlements": ("receipt", "write_off"),
    "invoices": ("invoice",),
}


def dict_rows(body: Any, key: str) -> list[dict[str, Any]]:
    """The row objects under ``key`` of a list reply (anything else there is skipped)."""
    rows = body.get(key) if isinstance(body, Mapping) else None
    return [dict(r) for r in rows or [] if isinstance(r, Mapping)]


class FeedTable:
    """Feed name (API path or resource) -> the kind of record it lists."""

    def __init__(self, kinds: Mapping[str, Kind]) -> None:
        self.kinds = dict(kinds)

    def feeds(self, stream: Stream) -> list[str]:
        wanted = _STREAM_KINDS[stream]
        return [feed for kind in wanted for feed, k in self.kinds.items() if k == kind]

    def records(self, feed: str, rows: list[dict[str, Any]]) -> list[ErpRecord]:
        kind = self.kinds[feed]
        if kind == "customer":
            return [yy.customer_from_row(r) for r in rows]
        if kind == "invoice":
            return [yy.invoice_from_row(r) for r in rows]
        return [yy.settlement_from_row(r, write_off=kind == "write_off") for r in rows]
