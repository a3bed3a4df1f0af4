"""YonBIP data-centre lookup: which gateway and token hosts serve a tenant.

``GET {base_url}/open-auth/dataCenter/getGatewayAddress?tenantId=<tenant>`` answers
``{"code": "00000", "data": {"gatewayUrl": "https://…/iuap-api-gateway", "tokenUrl": "https://…/iuap-api-auth"}}``
(docs/research/yonbip.md G1-G4: every oar API page says its host is "动态域名" found this way). The
answer is kept per process for each (lookup host, tenant): how long it may be cached is not documented,
and a tenant does not move between data centres while a process runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from connectors.errors import FatalError, RetriableError
from connectors.yonyou.settings import YonyouSettings

__all__ = ["BipHosts", "cached", "clear_gateway_cache", "lookup_request", "parse_lookup", "remember"]

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], BipHosts] = {}


@dataclass(frozen=True)
class BipHosts:
    """Where a tenant's business APIs (``gateway_url``) and token API (``token_url``) live."""

    gateway_url: str
    token_url: str


def lookup_request(settings: YonyouSettings) -> tuple[str, dict[str, str]]:
    """The lookup's URL and query parameters."""
    return settings.base_url.rstrip("/") + settings.bip_gateway_lookup_path, {"tenantId": settings.tenant_id}


def parse_lookup(body: Any, tenant_id: str) -> BipHosts:
    """The hosts in a lookup reply; FatalError when the vendor refuses the tenant."""
    if not isinstance(body, dict):
        raise RetriableError("yonyou: data-centre lookup reply is not a JSON object", connector="yonyou")
    data = body.get("data")
    code = str(body.get("code", ""))
    if (
        code != "00000"
        or not isinstance(data, dict)
        or not data.get("gatewayUrl")
        or not data.get("tokenUrl")
    ):
        raise FatalError(
            f"yonyou: data-centre lookup refused tenant {tenant_id!r} (code {code or '-'}: "
            f"{body.get('message') or 'no gatewayUrl/tokenUrl'}); check SYNCHUB_YONYOU_TENANT_ID",
            connector="yonyou",
            code=code or None,
        )
    return BipHosts(str(data["gatewayUrl"]).rstrip("/"), str(data["tokenUrl"]).rstrip("/"))


def cached(settings: YonyouSettings) -> BipHosts | None:
    with _LOCK:
        return _CACHE.get((settings.base_url, settings.tenant_id))


def remember(settings: YonyouSettings, hosts: BipHosts) -> BipHosts:
    with _LOCK:
        return _CACHE.setdefault((settings.base_url, settings.tenant_id), hosts)


def clear_gateway_cache() -> None:
    """Forget every looked-up gateway (tests; or after a tenant moved)."""
    with _LOCK:
        _CACHE.clear()
