"""Alibaba Cloud SMS simulator: ``GET /?Action=SendSms`` with the RPC signature checked, known sign name
and templates, one SMS a minute per number (``isv.BUSINESS_LIMIT_CONTROL`` past it, configurable).
HTTP statuses of the common errors follow Alibaba Cloud's common error table (doc-detail/67787)."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, admin_routes, notify_state
from connectors.sandbox.state import SandboxState
from connectors.sandbox.vendor_signatures import aliyun_rpc

__all__ = ["build_router"]

V = "aliyun_sms"


def _reply(code: str, message: str, status: int = 200) -> JSONResponse:
    body = {"Code": code, "Message": message, "RequestId": uuid.uuid4().hex.upper()}
    if code == "OK":
        body["BizId"] = uuid.uuid4().hex[:20]
    return JSONResponse(body, status_code=status)


def build_router(sandbox: SandboxState) -> APIRouter:
    router = APIRouter(tags=["aliyun_sms"])
    state = notify_state(sandbox)
    admin_routes(router, state, V)
    creds = NOTIFY_CREDENTIALS[V]

    @router.get("/")
    def send_sms(request: Request) -> JSONResponse:
        state.count(V, "requests")
        state.delay(V)
        if state.take(V, "server_error"):
            return JSONResponse({"message": "Service Unavailable"}, status_code=503)
        query = dict(request.query_params)
        if query.get("Action") != "SendSms":
            return _reply("InvalidAction.NotFound", "unknown action", 404)
        if state.faults[V].invalid_key or query.get("AccessKeyId") != creds["access_key_id"]:
            return _reply("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 400)
        if query.get("Signature") != aliyun_rpc(query, creds["access_key_secret"]):
            state.count(V, "bad_signature")
            return _reply("SignatureDoesNotMatch", "Specified signature is not matched.", 403)
        if query.get("SignName") != creds["sign_name"] or query.get("TemplateCode") not in creds["templates"]:
            return _reply("isv.SMS_TEMPLATE_ILLEGAL", "template or sign name not approved")
        phone = query.get("PhoneNumbers", "")
        if not (len(phone) == 11 and phone.startswith("1") and phone.isdigit()):
            return _reply("isv.MOBILE_NUMBER_ILLEGAL", "invalid mobile number")
        if state.take(V, "rate_limit_code"):
            return _reply("Throttling.User", "Request was denied due to user flow control.")
        if state.over_limit(V, phone):
            return _reply("isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:1")
        try:
            params = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            return _reply("isv.TEMPLATE_MISSING_PARAMETERS", "TemplateParam is not JSON")
        state.record(V, {"phone": phone, "template": query["TemplateCode"], "params": params})
        state.count(V, "messages")
        return _reply("OK", "OK")

    return router
