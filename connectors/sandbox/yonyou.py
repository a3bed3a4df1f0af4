"""Yonyou simulator: U8 OpenAPI (``/system/token``, ``/system/tradeid``, ``/api/<resource>/add|get|
batch_get``, errcode replies, one result per tradeid) and YonBIP (data-centre lookup, signed self-app
token, oar save/single save/list in the documented shapes: :mod:`connectors.sandbox.yonyou_bip`).
Voucher and customer codes are unique; the fault switches of :mod:`connectors.sandbox.erp_state`."""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from connectors.sandbox.erp_state import ERP_CREDENTIALS, ErpState, erp_state_of, gate, lose_reply
from connectors.sandbox.yonyou_bip import bip_router
from connectors.yonyou.settings import YonyouSettings

__all__ = ["build_router", "sandbox_settings"]

V = "yonyou"
_BODY = Body(None)
_D = YonyouSettings.model_fields
U8_FORMS = {
    str(_D[f].default): form
    for f, form in (
        ("u8_receivable", "receivable"),
        ("u8_customer", "customer"),
        ("u8_receipt", "receipt"),
        ("u8_write_off", "write_off"),
        ("u8_invoice", "invoice"),
    )
}


def sandbox_settings(base_url: str, edition: str = "u8", **overrides: Any) -> YonyouSettings:
    creds = ERP_CREDENTIALS[V]
    values: dict[str, Any] = {"base_url": base_url, "edition": edition, **creds, "ds_sequence": "1"}
    values.update(overrides)
    return YonyouSettings(**values)


def _u8(code: str = "0", message: str = "", data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": message, **(data or {})})


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "pubts": row.get("ts")}


def _page(rows: list[dict[str, Any]], page: int, size: int) -> tuple[list[dict[str, Any]], int]:
    rows = sorted(rows, key=lambda r: (str(r.get("ts", "")), int(r.get("id", 0))))
    return [_out(r) for r in rows[(page - 1) * size : page * size]], max(1, math.ceil(len(rows) / size))


class _Yonyou:
    def __init__(self, state: ErpState) -> None:
        self.state = state

    def token_ok(self, token: str | None) -> bool:
        if self.state.take(V, "expire_session"):
            with self.state.lock:
                self.state.sessions[V].clear()
        return token is not None and token in self.state.sessions[V]

    def issue(self) -> str:
        token = uuid.uuid4().hex
        with self.state.lock:
            self.state.sessions[V].add(token)
        return token

    def create(self, form: str, data: dict[str, Any], auto_prefix: str) -> dict[str, Any] | str:
        """The stored row, or an error message when the code is taken or required data is missing."""
        with self.state.lock:
            code = str(data.get("code") or "")
            if code and self.state.find(V, form, "code", code):
                return f"编码[{code}]已存在"
            if form == "customer" and not (code and data.get("name")):
                return "客户编码和名称必填"
            if form == "receivable" and not self.state.find(
                V, "customer", "code", data.get("cust_vendor_code") or data.get("customer_code")
            ):
                return "客户不存在"
            ident = self.state.next_id()
            row = {**data, "id": ident, "code": code or f"{auto_prefix}{ident:08d}"}
            if form == "receivable":
                row["memo"] = data.get("description") or data.get("digest")
                row["amount"] = data.get("amount") or data.get("oriSum")
            if form == "customer":
                row["name"] = data["name"].get("zh_CN") if isinstance(data["name"], dict) else data["name"]
                row["creditcode"] = data.get("creditcode") or data.get("creditCode")
            return self.state.add(V, form, row)


def build_router(sandbox: Any) -> APIRouter:
    state = sandbox if isinstance(sandbox, ErpState) else erp_state_of(sandbox)
    router = APIRouter(tags=["yonyou"])
    erp = _Yonyou(state)
    creds = ERP_CREDENTIALS[V]

    @router.get("/system/token")
    def u8_token(from_account: str = "", app_key: str = "", app_secret: str = "") -> JSONResponse:
        blocked = gate(state, V, "u8.token")
        if blocked is not None:
            return blocked
        if (from_account, app_key, app_secret) != (
            creds["from_account"],
            creds["app_key"],
            creds["app_secret"],
        ):
            return _u8("30010", "from_account, app_key 或 app_secret 不正确")
        return _u8(data={"token": {"id": erp.issue(), "expiresIn": 7200}})

    @router.get("/system/tradeid")
    def u8_tradeid(token: str | None = None) -> JSONResponse:
        blocked = gate(state, V, "u8.tradeid")
        if blocked is not None:
            return blocked
        if not erp.token_ok(token):
            return _u8("30001", "token 无效或已过期")
        trade = uuid.uuid4().hex
        with state.lock:
            state.tradeids[trade] = None
        return _u8(data={"trade": {"id": trade}})

    @router.post("/api/{resource}/add")
    def u8_add(
        resource: str,
        body: Any = _BODY,
        token: str | None = None,
        tradeid: str = "",
    ) -> JSONResponse:
        blocked = gate(state, V, f"u8.add.{resource}")
        if blocked is not None:
            return blocked
        if not erp.token_ok(token):
            return _u8("30001", "token 无效或已过期")
        form = U8_FORMS.get(resource)
        data = body.get(resource) if isinstance(body, dict) else None
        if form is None or not isinstance(data, dict):
            return _u8("20010", f"资源 {resource} 不支持或报文为空")
        with state.lock:
            if tradeid not in state.tradeids:
                return _u8("30002", "tradeid 无效或已过期")
            earlier = state.tradeids[tradeid]
            if earlier is not None:
                state.count(V, "tradeid.replayed")
                return JSONResponse(earlier)
            row = erp.create(form, data, "AR" if form == "receivable" else "C")
            if isinstance(row, str):
                return _u8("20003" if "已存在" in row else "20011", row)
            reply = {"errcode": "0", "errmsg": "", "id": str(row["id"]), "tradeid": tradeid}
            state.tradeids[tradeid] = reply
        return lose_reply(state, V) or JSONResponse(reply)

    @router.get("/api/{resource}/get")
    def u8_get(resource: str, token: str | None = None, id: str = "") -> JSONResponse:
        blocked = gate(state, V, f"u8.get.{resource}")
        if blocked is not None:
            return blocked
        if not erp.token_ok(token):
            return _u8("30001", "token 无效或已过期")
        row = state.find(V, U8_FORMS.get(resource, "-"), "code", id)
        return _u8(data={resource: _out(row)}) if row else _u8("20001", f"记录[{id}]不存在")

    @router.get("/api/{resource}/batch_get")
    def u8_batch(
        resource: str,
        token: str | None = None,
        page_index: int = 1,
        rows_per_page: int = 20,
        ts_begin: str = "",
    ) -> JSONResponse:
        blocked = gate(state, V, f"u8.batch_get.{resource}")
        if blocked is not None:
            return blocked
        if not erp.token_ok(token):
            return _u8("30001", "token 无效或已过期")
        rows = [r for r in state.rows(V, U8_FORMS.get(resource, "-")) if str(r.get("ts", "")) >= ts_begin]
        page, count = _page(rows, page_index, rows_per_page)
        info = {
            "page_index": page_index,
            "rows_per_page": rows_per_page,
            "row_count": len(rows),
            "page_count": count,
        }
        return _u8(data={**info, resource: page})

    router.include_router(bip_router(state, erp))
    return router
