"""Yonyou (用友) U8 / U8+ OpenAPI and YonBIP: customers, receivables, receipts, invoices (README.md)."""

from __future__ import annotations

import httpx

from connectors.http import RequestMetrics
from connectors.yonyou.bip import BipGateway
from connectors.yonyou.settings import YonyouSettings
from connectors.yonyou.u8 import U8Gateway
from mapping.erp.codes import ErpCodes

__all__ = ["BipGateway", "U8Gateway", "YonyouSettings", "yonyou_gateway"]


def yonyou_gateway(
    settings: YonyouSettings,
    codes: ErpCodes,
    *,
    transport: httpx.BaseTransport | None = None,
    metrics: RequestMetrics | None = None,
) -> U8Gateway | BipGateway:
    """The gateway of the configured edition."""
    cls = U8Gateway if settings.edition == "u8" else BipGateway
    return cls(settings, codes, transport=transport, metrics=metrics)
