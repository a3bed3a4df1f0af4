"""What both Yonyou gateways (YonBIP and U8) share: the client, which list feeds make up a stream, and
how a row of each feed becomes an ERP record. They differ in feed names and wire protocol only."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Literal

import httpx

from connectors.erp_gateway import Stream
from connectors.http import RequestMetrics
from connectors.yonyou.client import YonyouClient
from connectors.yonyou.settings import YonyouSettings
from mapping.erp import yonyou as yy
from mapping.erp.codes import ErpCodes
from mapping.erp.records import ErpCustomer, ErpInvoice, ErpSettlement

__all__ = ["ErpRecord", "FeedTable", "Kind", "YonyouGatewayBase", "dict_rows"]

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


class YonyouGatewayBase(ABC):
    """The client, the feed table and ``feeds``/``close`` of a Yonyou gateway."""

    system = "yonyou"

    def __init__(
        self,
        settings: YonyouSettings,
        codes: ErpCodes,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.check_codes(codes)
        self.settings, self.codes = settings, codes
        self.client = YonyouClient(settings, transport=transport, metrics=metrics)
        self.table = FeedTable(self.feed_kinds(settings))

    @staticmethod
    def check_codes(codes: ErpCodes) -> None:
        """Raise :class:`~core.errors.ConfigError` for numbering this edition cannot work with."""
        return None  # every numbering works unless an edition says otherwise

    @staticmethod
    @abstractmethod
    def feed_kinds(settings: YonyouSettings) -> dict[str, Kind]:
        """This edition's list feed (API path or resource) for each kind of record."""

    def close(self) -> None:
        self.client.close()

    def feeds(self, stream: Stream) -> list[str]:
        return self.table.feeds(stream)
