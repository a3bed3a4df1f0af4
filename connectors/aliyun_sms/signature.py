"""The classic RPC signature of Alibaba Cloud (SignatureVersion 1.0, HMAC-SHA1).

``Signature = base64(HMAC-SHA1(secret + "&", "GET&%2F&" + pct(canonical)))`` where ``canonical`` is
every parameter but ``Signature``, sorted by name, ``pct(name)=pct(value)`` joined by ``&``, and
``pct`` is RFC 3986 percent-encoding (space ``%20``, ``*`` ``%2A``, ``~`` kept).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

__all__ = ["canonical_query", "pct", "rpc_signature"]


def pct(text: str) -> str:
    return quote(text, safe="~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(f"{pct(k)}={pct(params[k])}" for k in sorted(params) if k != "Signature")


def rpc_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    string_to_sign = f"{method}&{pct('/')}&{pct(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
