"""The signed headers of Kingdee's current WebAPI SDK (第三方系统登录授权), as its own code computes them.

Source: PyPI ``kingdee.cdp.webapi.sdk`` 8.2.0, ``k3cloud_webapi_sdk/core/webapi_client.py``
``BuildHeader`` and ``util/encode_util.py`` ``DecodeAppSecret``; the Java SDK copy
(``leoluonet/k3cloud-webapi-sdk`` ``ApiRequester.buildHeader``) agrees. The fixture
``tests/fixtures/kingdee/sdk/signed_headers_sdk820.json`` is the SDK's own output for fixed inputs.

- The app id is ``<client id>_<32 base64 characters>``; the second part, base64-decoded, XORed with
  a fixed key and base64-encoded again, is the API gateway secret (``client_sec``).
- ``X-Api-Signature`` = base64(hex(HMAC-SHA256(client_sec, "POST\\n" + encoded path + "\\n\\n"
  "x-api-nonce:N\\nx-api-timestamp:T\\n"))); the path is percent-encoded with ``/`` as ``%2F``.
- ``X-Kd-Appdata`` = base64("acct,user,lcid,org"); ``X-Kd-Signature`` = base64(hex(HMAC-SHA256(
  app secret, app id + app data))).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["SignedIdentity", "api_secret", "hmac_hex_b64", "sign_string", "signed_headers"]

# The SDK spells this key as ROT13 of "0054s397p6234378o09pn7q3r5qropr7"; the Java copy writes it out.
_XOR_KEY = b"0054f397c6234378b09ca7d3e5debce7"
SIGN_HEADERS = "x-api-timestamp,x-api-nonce"


@dataclass(frozen=True)
class SignedIdentity:
    """What the SDK signs with: ``InitConfig(acct_id, user_name, app_id, app_secret, ..., lcid, org_num)``."""

    acct_id: str
    user_name: str
    app_id: str
    app_secret: str
    lcid: int = 2052
    org_num: int = 0

    @property
    def app_data(self) -> str:
        return f"{self.acct_id},{self.user_name},{self.lcid},{self.org_num}"


def api_secret(app_id: str) -> str | None:
    """The gateway secret hidden in the app id, or None when the app id is not ``<id>_<32 chars>``
    (the SDK would then sign with an empty key, which no server accepts)."""
    parts = app_id.split("_")
    if len(parts) != 2 or len(parts[1]) != 32:
        return None
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except binascii.Error:
        return None
    return base64.b64encode(bytes(b ^ k for b, k in zip(raw, _XOR_KEY, strict=False))).decode("ascii")


def hmac_hex_b64(message: str, key: str) -> str:
    """base64 of the lower-case hex HMAC-SHA256 digest (the SDK's ``HmacSHA256``)."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def sign_string(path_and_query: str, nonce: str, timestamp: str) -> str:
    """The string the SDK signs for a POST to ``path_and_query`` (everything after the host)."""
    encoded = quote(path_and_query, safe="", encoding="utf-8")
    return f"POST\n{encoded}\n\nx-api-nonce:{nonce}\nx-api-timestamp:{timestamp}\n"


def signed_headers(identity: SignedIdentity, path_and_query: str, timestamp: int) -> dict[str, str]:
    """The nine headers of one request. Like the Python SDK, timestamp and nonce are the same epoch
    second. Raises ValueError when the app id carries no gateway secret."""
    secret = api_secret(identity.app_id)
    if secret is None:
        raise ValueError("the app id is not <client id>_<32 characters> as issued by 第三方系统登录授权")
    stamp = str(timestamp)
    app_data = identity.app_data
    return {
        "X-Api-ClientID": identity.app_id.split("_")[0],
        "X-Api-Auth-Version": "2.0",
        "x-api-timestamp": stamp,
        "x-api-nonce": stamp,
        "x-api-signheaders": SIGN_HEADERS,
        "X-Api-Signature": hmac_hex_b64(sign_string(path_and_query, stamp, stamp), secret),
        "X-Kd-Appkey": identity.app_id,
        "X-Kd-Appdata": base64.b64encode(app_data.encode("utf-8")).decode("ascii"),
        "X-Kd-Signature": hmac_hex_b64(identity.app_id + app_data, identity.app_secret),
    }
