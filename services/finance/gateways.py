"""ERP gateways from settings: Kingdee (``SYNCHUB_KINGDEE_*``) and Yonyou (``SYNCHUB_YONYOU_*``),
each with its code mapping (``SYNCHUB_FINANCE_MAPPING_DIR`` or the packaged files)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

from connectors.erp_gateway import ReceivableGateway
from connectors.http import RequestMetrics
from core.errors import ConfigError
from mapping.erp.codes import load_erp_codes
from services.finance.settings import FinanceSettings

if TYPE_CHECKING:
    from connectors.kingdee import KingdeeSettings
    from connectors.yonyou import YonyouSettings

__all__ = ["SYSTEMS", "build_gateways", "close_all"]

SYSTEMS = ("kingdee", "yonyou")


def build_gateways(
    systems: Iterable[str] = SYSTEMS,
    *,
    settings: FinanceSettings | None = None,
    kingdee: KingdeeSettings | None = None,
    yonyou: YonyouSettings | None = None,
    transport: httpx.BaseTransport | None = None,
    metrics: RequestMetrics | None = None,
) -> dict[str, ReceivableGateway]:
    """One gateway per named ERP, with connector settings from the environment unless given."""
    settings = settings or FinanceSettings()
    gateways: dict[str, ReceivableGateway] = {}
    for system in systems:
        codes = load_erp_codes(system, settings.mapping_dir)
        if system == "kingdee":
            from connectors.kingdee import KingdeeGateway, KingdeeSettings

            gateways[system] = KingdeeGateway(
                kingdee or KingdeeSettings(), codes, transport=transport, metrics=metrics
            )
        elif system == "yonyou":
            from connectors.yonyou import YonyouSettings, yonyou_gateway

            gateways[system] = yonyou_gateway(
                yonyou or YonyouSettings(), codes, transport=transport, metrics=metrics
            )
        else:
            raise ConfigError(f"unknown ERP {system!r}; known: {', '.join(SYSTEMS)}")
    return gateways


def close_all(gateways: dict[str, ReceivableGateway]) -> None:
    for gateway in gateways.values():
        gateway.close()
