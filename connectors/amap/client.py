"""Amap geocoding: ``GET /v3/geocode/geo`` in batches of up to 10 addresses, signed when a private key
is set, through the shared HTTP client and retry layer and the process-wide budget of the key.

``geocode(addresses, city)`` returns one :class:`GeocodeResult` (or None: Amap found nothing) per
address, in order. Rate-limit codes are retried with backoff by the retry layer; a daily-quota code
closes the key's gate and raises :class:`QuotaExhaustedError` (no call is made until midnight,
Beijing time); an invalid key or signature is a :class:`FatalError` that says which setting to fix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Sequence
from datetime import datetime

import httpx

from connectors.amap.budget import next_quota_reset, shared_budget
from connectors.amap.errors import AMAP_CODES, QUOTA_CODES, QuotaExhaustedError
from connectors.amap.payloads import AmapReply, GeocodeResult
from connectors.amap.settings import AmapSettings
from connectors.errors import FatalError, RetriableError, SkippableRecordError, error_for_status
from connectors.http import RequestMetrics, make_client, request_tags
from connectors.redaction import get_logger
from connectors.retry import call_with_retry, parse_retry_after

__all__ = ["GEOCODE_PATH", "AmapClient", "AmapSignatureAuth", "amap_signature"]

GEOCODE_PATH = "/v3/geocode/geo"
logger = get_logger("synchub.connectors.amap")


def amap_signature(params: dict[str, str], private_key: str) -> str:
    """md5 of ``k1=v1&k2=v2...`` (sorted by name, values not URL-encoded) followed by the private key."""
    text = "&".join(f"{k}={params[k]}" for k in sorted(params)) + private_key
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class AmapSignatureAuth(httpx.Auth):
    """Adds ``key`` and, with a private key, ``sig`` over every other query parameter."""

    def __init__(self, key: str, private_key: str | None) -> None:
        self.key = key
        self.private_key = private_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        params = {k: v for k, v in request.url.params.multi_items() if k != "sig"}
        params["key"] = self.key
        if self.private_key:
            params["sig"] = amap_signature(params, self.private_key)
        request.url = request.url.copy_with(params=params)
        yield request


class AmapClient:
    """One client per unit of work (a flow task); close it, or use it as a context manager."""

    def __init__(
        self,
        settings: AmapSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.settings = settings or AmapSettings()
        if self.settings.key is None:
            raise FatalError("amap: no key: set SYNCHUB_AMAP_KEY", connector="amap")
        key = self.settings.key.get_secret_value()
        private = self.settings.private_key.get_secret_value() if self.settings.private_key else None
        budget_name = self.settings.base_url + "|" + hashlib.sha256(key.encode()).hexdigest()
        self.bucket, self.gate = shared_budget(budget_name, self.settings.qps, self.settings.burst)
        self.calls = 0
        self._http = make_client(
            self.settings,
            transport=transport,
            auth=AmapSignatureAuth(key, private),
            connector="amap",
            metrics=metrics,
        )

    def __enter__(self) -> AmapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def quota_open_at(self, now: datetime | None = None) -> datetime | None:
        """When calls may resume, or None when they may go now."""
        return self.gate.open_at(now)

    def geocode(self, addresses: Sequence[str], city: str | None = None) -> list[GeocodeResult | None]:
        """Every address geocoded, in order, in batches of ``batch_size``."""
        out: list[GeocodeResult | None] = []
        size = self.settings.batch_size
        for start in range(0, len(addresses), size):
            out.extend(self._batch(list(addresses[start : start + size]), city))
        return out

    def _batch(self, addresses: list[str], city: str | None) -> list[GeocodeResult | None]:
        resume = self.gate.open_at()
        if resume is not None:
            raise QuotaExhaustedError(
                f"amap: daily quota used up until {resume.isoformat()}", resume_at=resume
            )
        params = {"address": "|".join(a.replace("|", " ") for a in addresses), "output": "JSON"}
        params["batch"] = "true" if len(addresses) > 1 else "false"
        if city:
            params["city"] = city
        reply = call_with_retry(lambda: self._send(params), self.settings, what="amap geocode")
        items = reply.geocodes
        if len(items) != len(addresses) and len(addresses) > 1:
            logger.warning(
                "amap: %d geocodes for %d addresses; trailing ones unresolved", len(items), len(addresses)
            )
        results: list[GeocodeResult | None] = []
        for index in range(len(addresses)):
            item = items[index] if index < len(items) else None
            results.append(GeocodeResult.from_payload(item) if item is not None and item.adcode else None)
        return results

    def _send(self, params: dict[str, str]) -> AmapReply:
        self.bucket.acquire()
        self.calls += 1
        response = self._http.get(GEOCODE_PATH, params=params, extensions=request_tags("amap", "geocode"))
        problem = error_for_status(
            response.status_code,
            connector="amap",
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
        if problem is not None:
            raise problem
        try:
            reply = AmapReply.model_validate(response.json())
        except ValueError as exc:
            raise RetriableError("amap: reply is not the documented JSON", connector="amap") from exc
        if reply.status == "1":
            return reply
        code = reply.infocode
        if code in QUOTA_CODES:
            resume = next_quota_reset()
            self.gate.close(resume)
            logger.warning("amap: daily quota used up (%s); no calls until %s", code, resume.isoformat())
            raise QuotaExhaustedError(
                f"amap: vendor code {code} ({reply.info}): daily quota used up until {resume.isoformat()}",
                resume_at=resume,
                code=code,
            )
        error = AMAP_CODES.error(code, reply.info)
        if isinstance(error, SkippableRecordError):
            raise FatalError(str(error), connector="amap", code=code)
        raise error
