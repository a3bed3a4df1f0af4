"""Our own web-form webhook: signature, replay window and limits (the receive side of a source)."""

from __future__ import annotations

from connectors.webform.receive import read_signed_json
from connectors.webform.settings import WebFormSettings
from connectors.webform.signature import ReplayGuard, WebhookRejected, sign, verify_request

__all__ = ["ReplayGuard", "WebFormSettings", "WebhookRejected", "read_signed_json", "sign", "verify_request"]
