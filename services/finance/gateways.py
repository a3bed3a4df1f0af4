"""ERP gateways from settings: Kingdee (``SYNCHUB_KINGDEE_*``) and Yonyou (``SYNCHUB_YONYOU_*``),
each with its code mapping (``SYNCHUB_FINANCE_MAPPING_DIR`` or the packaged files).

By default only the ERPs whose credentials are set are built, so a company on Kingdee alone does not see
push and reconcile fail for the Yonyou it never configured; a receivable owed to an ERP that is not
configured is dead-lettered with the exact variables to set (:func:`not_configured`)."""

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

__all__ = ["SYSTEMS", "build_gateways", "close_all", "not_configured"]

SYSTEMS = ("kingdee", "yonyou")


def build_gateways(
    systems: Iterable[str] | None = None,
    *,
    settings: FinanceSettings | None = None,
    kingdee: KingdeeSettings | None = None,
    yonyou: YonyouSettings | None = None,
    transport: httpx.BaseTransport | None = None,
    metrics: RequestMetrics | None = None,
) -> dict[str, ReceivableGateway]:
    """One gateway per named ERP (default: every ERP whose credentials are set), with connector settings
    from the environment unless given."""
    settings = settings or FinanceSettings()
    if systems is None:
        systems = [system for system in SYSTEMS if not not_configured(system, kingdee=kingdee, yonyou=yonyou)]
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


def not_configured(
    system: str, *, kingdee: KingdeeSettings | None = None, yonyou: YonyouSettings | None = None
) -> list[str]:
    """The environment variables still to set before ``system`` can be reached ([] when ready)."""
    if system == "kingdee":
        from connectors.kingdee import KingdeeSettings

        return (kingdee or KingdeeSettings()).credentials_missing()
    if system == "yonyou":
        from connectors.yonyou import YonyouSettings

        return (yonyou or YonyouSettings()).credentials_missing()
    raise ConfigError(f"unknown ERP {system!r}; known: {', '.join(SYSTEMS)}")


def close_all(gateways: dict[str, ReceivableGateway]) -> None:
    for gateway in gateways.values():
        gateway.close()
