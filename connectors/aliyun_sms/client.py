"""Alibaba Cloud SMS ``SendSms`` (dysmsapi 2017-05-25, classic signed RPC GET) on the shared HTTP client
and retry layer. A per-number limit (``isv.BUSINESS_LIMIT_CONTROL``) is reported as ``limited``, never
retried: the hub folds the message into a later one. ``Throttling.User`` backs off in the retry layer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from connectors.aliyun_sms.errors import LIMITED_CODES, SMS_CODES
from connectors.aliyun_sms.payloads import SendSmsReply
from connectors.aliyun_sms.settings import AliyunSmsSettings
from connectors.aliyun_sms.signature import canonical_query, pct, rpc_signature
from connectors.errors import FatalError, RetriableError, SkippableRecordError, error_for_status
from connectors.http import RequestMetrics, make_client, request_tags
from connectors.retry import call_with_retry, parse_retry_after

__all__ = ["AliyunSmsClient", "SmsResult"]


@dataclass(frozen=True)
class SmsResult:
    sent: bool
    limited: bool = False  # a per-number limit: fold into a later message
    rejected: bool = False  # this number cannot receive SMS
    code: str = ""
    message: str = ""


class AliyunSmsClient:
    def __init__(
        self,
        settings: AliyunSmsSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings or AliyunSmsSettings()
        if not self.settings.access_key_id or self.settings.access_key_secret is None:
            raise FatalError(
                "aliyun_sms: set SYNCHUB_ALIYUN_SMS_ACCESS_KEY_ID and _ACCESS_KEY_SECRET",
                connector="aliyun_sms",
            )
        self._clock = clock
        self._http = make_client(self.settings, transport=transport, connector="aliyun_sms", metrics=metrics)

    def __enter__(self) -> AliyunSmsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def close(self) -> None:
        self._http.close()

    def send(self, phone: str, template_code: str, params: dict[str, str]) -> SmsResult:
        """One SMS to ``phone`` (digits, +86 optional) with the template and its parameters."""
        return call_with_retry(
            lambda: self._send(phone, template_code, params), self.settings, what="aliyun sms"
        )

    def _query(self, phone: str, template_code: str, params: dict[str, str]) -> str:
        assert self.settings.access_key_secret is not None and self.settings.access_key_id
        digits = phone.removeprefix("+86").removeprefix("+")
        query = {
            "Action": "SendSms",
            "Version": "2017-05-25",
            "Format": "JSON",
            "PhoneNumbers": digits,
            "SignName": self.settings.sign_name,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "AccessKeyId": self.settings.access_key_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        signature = rpc_signature(query, self.settings.access_key_secret.get_secret_value())
        return f"{canonical_query(query)}&Signature={pct(signature)}"

    def _send(self, phone: str, template_code: str, params: dict[str, str]) -> SmsResult:
        url = httpx.URL(self.settings.base_url + "/?" + self._query(phone, template_code, params))
        response = self._http.get(url, extensions=request_tags("aliyun_sms", "SendSms"))
        hint = parse_retry_after(response.headers.get("Retry-After"))
        problem = error_for_status(response.status_code, connector="aliyun_sms", retry_after=hint)
        if problem is not None and response.status_code >= 500:
            raise problem
        try:
            reply = SendSmsReply.model_validate(response.json())
        except ValueError as exc:
            if problem is not None:
                raise problem from exc
            raise RetriableError("aliyun_sms: reply is not JSON", connector="aliyun_sms") from exc
        if reply.Code == "OK":
            return SmsResult(True, code="OK")
        if reply.Code in LIMITED_CODES:
            return SmsResult(False, limited=True, code=reply.Code, message=reply.Message)
        error = SMS_CODES.error(reply.Code, reply.Message)
        if isinstance(error, SkippableRecordError):
            return SmsResult(False, rejected=True, code=reply.Code, message=reply.Message)
        raise error
