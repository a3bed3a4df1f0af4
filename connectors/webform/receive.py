"""Reading one signed request of our webhook protocol (web forms, contracts): size limit, sender
secret, signature, replay window, JSON object. Every refusal is a :class:`WebhookRejected` with the
HTTP status and a message for the sender."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr
from starlette.requests import Request

from connectors.webform.payload_check import parse_strict_json
from connectors.webform.signature import ReplayGuard, WebhookRejected, verify_request

__all__ = ["read_signed_json"]


async def read_signed_json(
    request: Request,
    sender: str,
    secrets: Mapping[str, SecretStr],
    max_body_bytes: int,
    window_seconds: int,
    guard: ReplayGuard,
    kind: str = "form",
    id_field: str | None = None,
) -> tuple[dict[str, Any], bytes]:
    """The authentic JSON object sent by ``sender`` and the raw body it was signed over."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body_bytes:
        raise WebhookRejected(413, f"body over {max_body_bytes} bytes")
    body = await request.body()
    if len(body) > max_body_bytes:
        raise WebhookRejected(413, f"body over {max_body_bytes} bytes")
    secret = secrets.get(sender)
    if secret is None:
        raise WebhookRejected(404, f"unknown {kind} {sender!r}")
    verify_request(request.headers, body, secret.get_secret_value(), window_seconds, guard)
    return parse_strict_json(body, id_field), body
