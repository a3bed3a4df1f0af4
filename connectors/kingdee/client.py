"""Kingdee WebAPI calls: one POST per ``<Service>.<Op>``, signed or session auth, the shared retry layer.

Reads (queries, View, login) are retried on any retriable failure. Writes (Save, Submit, Audit) are
retried only when the request provably did not run (connection refused, HTTP 429, a rate-limit or
session-lost reply); a timeout after sending, a dropped connection or a 5xx raises
:class:`~connectors.erp_gateway.AmbiguousWriteError` so that the caller reads back before sending again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Unpack

import httpx

from connectors.errors import FatalError, RetriableError, error_for_status
from connectors.http import ClientOptions, VendorClient, request_tags, send_write
from connectors.kingdee.auth import KingdeeSessionAuth, KingdeeSignedAuth, service_path
from connectors.kingdee.errors import response_status, status_error
from connectors.kingdee.settings import KingdeeSettings
from connectors.retry import call_with_retry, parse_retry_after

__all__ = ["KingdeeClient", "SaveRefused"]


class SaveRefused(FatalError):
    """A Save the ERP answered with IsSuccess false; ``reply_status`` is its ResponseStatus."""

    def __init__(self, message: str, status: dict[str, Any]) -> None:
        super().__init__(message, connector="kingdee", code=status.get("MsgCode"))
        self.reply_status = status


class KingdeeClient(VendorClient[KingdeeSettings]):
    """Thread-safe: one ``httpx.Client`` and one session shared by every caller."""

    connector = "kingdee"
    settings_class = KingdeeSettings

    def __init__(self, settings: KingdeeSettings | None = None, **options: Unpack[ClientOptions]) -> None:
        super().__init__(settings, **options)
        auth = self.auth
        assert isinstance(auth, KingdeeSignedAuth | KingdeeSessionAuth)
        auth.cookies = self.http.cookies  # one jar: every Set-Cookie kept, all sent back

    def build_auth(self) -> KingdeeSignedAuth | KingdeeSessionAuth:
        if self.settings.login == "signed":
            return KingdeeSignedAuth(self.settings)
        return KingdeeSessionAuth(self.settings)

    def _send(self, service: str, op: str, body: dict[str, Any], stream: str) -> httpx.Response:
        return self.http.post(
            service_path(service, op),
            content=json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            extensions=request_tags("kingdee", stream),
        )

    @staticmethod
    def _http_error(response: httpx.Response, op: str) -> None:
        error = error_for_status(
            response.status_code,
            connector="kingdee",
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            detail=op,
        )
        if error is not None:
            raise error

    @staticmethod
    def _json(response: httpx.Response, op: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise RetriableError(f"kingdee: {op} reply is not JSON", connector="kingdee") from None

    def read(self, service: str, op: str, body: dict[str, Any], stream: str) -> Any:
        """A call without side effects; any retriable failure is retried by the shared layer."""

        def once() -> Any:
            response = self._send(service, op, body, stream)
            self._http_error(response, op)
            reply = self._json(response, op)
            status = response_status(reply)
            error = status_error(status) if status is not None else None
            if error is not None:
                raise error
            return reply

        return call_with_retry(once, self.settings, what=f"kingdee {op} {stream}")

    def write(self, op: str, form: str, data: dict[str, Any]) -> dict[str, Any]:
        """Save / Submit / Audit on ``form``: the ``Result`` object; SaveRefused when IsSuccess is false."""

        def once() -> dict[str, Any]:
            body = {"formid": form, "data": data}
            response = send_write(
                lambda: self._send("DynamicFormService", op, body, form), "kingdee", f"{op} {form}"
            )
            self._http_error(response, op)
            reply = self._json(response, op)
            status = response_status(reply) or {}
            error = status_error(status)
            if isinstance(error, RetriableError):
                raise error  # rate limit or conflict: the ERP did not run the operation
            if error is not None:
                raise SaveRefused(str(error), status)
            result = reply.get("Result", {}) if isinstance(reply, dict) else {}
            return dict(result)

        return call_with_retry(once, self.settings, what=f"kingdee {op} {form}")

    def query(
        self, form: str, fields: Sequence[str], where: str, order: str = "", start: int = 0, limit: int = 0
    ) -> list[list[Any]]:
        """``ExecuteBillQuery``: rows as arrays in ``fields`` order."""
        data = {
            "FormId": form,
            "FieldKeys": ",".join(fields),
            "FilterString": where,
            "OrderString": order,
            "TopRowCount": 0,
            "StartRow": start,
            "Limit": limit or self.settings.query_limit,
        }
        reply = self.read("DynamicFormService", "ExecuteBillQuery", {"data": data}, form)
        if not isinstance(reply, list):
            raise RetriableError(
                f"kingdee: ExecuteBillQuery {form} reply is not an array", connector="kingdee"
            )
        return [list(row) for row in reply if isinstance(row, list)]

    def view(self, form: str, number: str) -> dict[str, Any] | None:
        """``View`` by bill number: the bill's data, or None when there is no such bill."""
        try:
            reply = self.read(
                "DynamicFormService", "View", {"formid": form, "data": {"Number": number}}, form
            )
        except FatalError as exc:
            if exc.code == 10:  # no such data
                return None
            raise
        result = reply.get("Result", {}) if isinstance(reply, dict) else {}
        data = result.get("Result") if isinstance(result, dict) else None
        return dict(data) if isinstance(data, dict) else None
