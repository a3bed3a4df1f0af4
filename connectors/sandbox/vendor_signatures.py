"""The simulators' own copies of each vendor's signature check, written from the vendors' pages and
deliberately not shared with the connectors: a connector whose algorithm is wrong must fail against
the sandbox, which it cannot when both call one function (import-linter keeps them apart).

- Aliyun RPC (https://help.aliyun.com/document_detail/315526.html, "签名机制"): sort the parameters
  but ``Signature`` by name, percent-encode names and values per RFC 3986 (space %20, ``~`` kept),
  join ``k=v`` with ``&``; StringToSign = ``GET&%2F&`` + percent-encoded query; HMAC-SHA1 keyed
  ``secret + "&"``, Base64. Known answers: the two worked examples in tests/fixtures/aliyun_sms/.
- Amap (https://lbs.amap.com/faq/quota-key/key/41181, "数字签名"): parameters but ``sig`` sorted by
  name, ``k=v`` joined with ``&`` (values not encoded), the private key appended, MD5 hex.
- DingTalk custom robot (https://open.dingtalk.com/document/robots/customize-robot-security-settings):
  ``timestamp + "\\n" + secret`` signed with HmacSHA256 keyed by the secret, Base64 (the URL carries it
  URL-encoded; the query parser has decoded it by the time we compare).
- YonBIP self-app token (corp-demo ``SignHelper``): Base64 of HmacSHA256 keyed by the app secret over
  ``"appKey" + appKey + "timestamp" + timestamp``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote

__all__ = ["aliyun_rpc", "amap_sig", "dingtalk_robot", "yonbip_token"]


def _rfc3986(text: str) -> str:
    return quote(text, safe="-_.~")


def aliyun_rpc(query: Mapping[str, str], secret: str, method: str = "GET") -> str:
    pairs = sorted((k, v) for k, v in query.items() if k != "Signature")
    canonical = "&".join(f"{_rfc3986(k)}={_rfc3986(v)}" for k, v in pairs)
    to_sign = "&".join((method, _rfc3986("/"), _rfc3986(canonical)))
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), "sha1")
    return base64.b64encode(mac.digest()).decode("ascii")


def amap_sig(query: Mapping[str, str], private_key: str) -> str:
    text = "&".join(f"{name}={query[name]}" for name in sorted(query) if name != "sig")
    return hashlib.md5((text + private_key).encode("utf-8")).hexdigest()


def dingtalk_robot(timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), "sha256")
    return base64.b64encode(mac.digest()).decode("ascii")


def yonbip_token(app_key: str, app_secret: str, timestamp: str) -> str:
    mac = hmac.new(app_secret.encode("utf-8"), f"appKey{app_key}timestamp{timestamp}".encode(), "sha256")
    return base64.b64encode(mac.digest()).decode("ascii")
