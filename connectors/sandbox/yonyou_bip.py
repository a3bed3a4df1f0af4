"""YonBIP side of the Yonyou simulator, in the documented shapes (docs/research/yonbip.md):

- ``GET /open-auth/dataCenter/getGatewayAddress?tenantId=`` -> ``gatewayUrl`` / ``tokenUrl`` on this host;
- ``GET /iuap-api-auth/open-auth/selfAppAuth/getAccessToken`` (signed, ``code "00000"``; wrong appKey 10018);
- ``POST /iuap-api-gateway/yonbip/fi/oar/save``: ``data`` an array; a bill missing a required field is
  refused *in the reply* (``code "200"``, ``failCount`` 1, reason in ``messages``);
- ``POST …/oar/single/save``: ``data`` an object; one result per ``resubmitCheckKey`` (MDD幂等);
- ``POST …/oar/list``: ``pageIndex``/``pageSize`` required, top-level ``code``/``orderno`` filters and
  ``simple.open_vouchdate_begin``/``_end``; ``…/receivebill/list/v2`` takes ``simpleVOs`` grouped as
  ``{"logicOp", "conditions": [...]}`` (DOC-RECEIPT-V2); the other lists keep flat ``simpleVOs`` (unsourced).

Refusal texts, the unknown-tenant code and the missing-field code ``999`` are our guesses (unsourced).
"""

from __future__ import annotations

import hmac
import re
from typing import Any, Protocol

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.erp_state import ERP_CREDENTIALS, ErpState, gate, lose_reply
from connectors.sandbox.vendor_signatures import yonbip_token
from connectors.yonyou.settings import YonyouSettings

__all__ = ["GATEWAY_PREFIX", "TOKEN_PREFIX", "bip_router"]

V = "yonyou"
GATEWAY_PREFIX = "/iuap-api-gateway"
TOKEN_PREFIX = "/iuap-api-auth"
_BODY = Body(None)
_D = YonyouSettings.model_fields
OAR_SAVE = "/yonbip/fi/oar/save"
OAR_SINGLE = "/yonbip/fi/oar/single/save"
OAR_LIST = str(_D["bip_receivable_list"].default)
CUSTOMER_SAVE = str(_D["bip_customer_save"].default)
LISTS = {
    str(_D[f].default): form
    for f, form in (
        ("bip_customer_list", "customer"),
        ("bip_receipt_list", "receipt"),
        ("bip_write_off_list", "write_off"),
        ("bip_invoice_list", "invoice"),
    )
}
_COMMON = ("accentity_code", "vouchdate", "tradetype_code", "exchRate", "exchangeRateType_code")
BATCH_REQUIRED = (*_COMMON, "billtype", "basebilltype_code", "oriSum", "natSum", "_status", "oarDetail")
SINGLE_REQUIRED = (*_COMMON, "currency_name", "customer_code", "oriSum", "natSum", "_status", "oarDetail")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


class Store(Protocol):
    def issue(self) -> str: ...
    def token_ok(self, token: str | None) -> bool: ...
    def create(self, form: str, data: dict[str, Any], auto_prefix: str) -> dict[str, Any] | str: ...


def _bip(code: str = "200", message: str = "操作成功", data: Any = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": data})


def refusal(bill: Any, *, batch: bool) -> str | None:
    """Why the vendor would refuse this bill (a required field missing or a date in the wrong form)."""
    if not isinstance(bill, dict):
        return "data 格式不正确"
    required = BATCH_REQUIRED if batch else SINGLE_REQUIRED
    missing = [f for f in required if bill.get(f) in (None, "", [])]
    if batch and not (bill.get("currency") or bill.get("currency_name")):
        missing.append("currency_name")
    if batch and not (bill.get("customer") or bill.get("customer_code")):
        missing.append("customer_code")
    if missing:
        return f"必填字段[{', '.join(missing)}]不能为空"
    if not (_DAY_TIME if batch else _DAY).match(str(bill["vouchdate"])):
        return f"单据日期[{bill['vouchdate']}]格式不正确"
    return None


def _saved(row: dict[str, Any], bill: dict[str, Any]) -> dict[str, Any]:
    """The saved bill as the reply shows it: no top-level id, ``oarDetail[].mainid`` names it."""
    details = [
        {**d, "id": str(row["id"] * 10 + i), "mainid": str(row["id"])}
        for i, d in enumerate(bill.get("oarDetail") or [])
        if isinstance(d, dict)
    ]
    shown = {k: v for k, v in row.items() if k not in ("id", "ts", "memo", "amount", "oarDetail")}
    return {**shown, "billnum": row["code"], "billtype": "2", "oarDetail": details}


def bip_router(state: ErpState, erp: Store) -> APIRouter:
    router = APIRouter(tags=["yonyou bip"])
    creds = ERP_CREDENTIALS[V]

    def save_one(bill: dict[str, Any], *, batch: bool) -> dict[str, Any] | str:
        why = refusal(bill, batch=batch)
        if why is not None:
            return why
        data = {k: v for k, v in bill.items() if k != "resubmitCheckKey"}
        row = erp.create("receivable", {**data, "customer_code": bill.get("customer_code")}, "AR")
        return row if isinstance(row, str) else _saved(row, bill)

    def batch_save(body: dict[str, Any]) -> JSONResponse:
        bills = body.get("data")
        if not isinstance(bills, list):
            return _bip("999", "data 必须为数组")
        infos, messages = [], []
        for bill in bills:
            saved = save_one(bill, batch=True)
            (messages.append(saved) if isinstance(saved, str) else infos.append(saved))
        failed = len(bills) - len(infos)
        data = {
            "successCountAI": len(infos),
            "failCountAI": failed,
            "count": len(bills),
            "sucessCount": str(len(infos)),
            "failCount": str(failed),
            "messages": messages,
            "infos": infos,
        }
        return lose_reply(state, V) or _bip(message="", data=data)

    def single_save(body: dict[str, Any]) -> JSONResponse:
        bill = body.get("data")
        if not isinstance(bill, dict):
            return _bip("999", "data 必须为对象")
        key = str(bill.get("resubmitCheckKey") or "")
        if len(key) > 32:
            return _bip("999", "resubmitCheckKey 长度不能超过32位")
        with state.lock:
            earlier = state.tradeids.get(f"bip:{key}") if key else None
            if earlier is not None:
                state.count(V, "resubmit.replayed")
                return JSONResponse(earlier)
            saved = save_one(bill, batch=False)
            if isinstance(saved, str):
                return _bip("999", saved)
            reply = {"code": "200", "message": "", "data": {**saved, "resubmitCheckKey": key}}
            if key:
                state.tradeids[f"bip:{key}"] = reply
        return lose_reply(state, V) or JSONResponse(reply)

    def oar_list(body: dict[str, Any]) -> JSONResponse:
        if body.get("pageIndex") in (None, "") or body.get("pageSize") in (None, ""):
            return _bip("999", "pageIndex 和 pageSize 必填")
        rows = state.rows(V, "receivable")
        for field in ("code", "orderno"):
            if body.get(field):
                rows = [r for r in rows if str(r.get(field, "")) == str(body[field])]
        simple = body.get("simple")
        simple = simple if isinstance(simple, dict) else {}
        begin, end = simple.get("open_vouchdate_begin"), simple.get("open_vouchdate_end")
        rows = [
            r for r in rows if (not begin or r["vouchdate"] >= begin) and (not end or r["vouchdate"] <= end)
        ]
        return listing(rows, body)

    def listing(rows: list[dict[str, Any]], body: dict[str, Any]) -> JSONResponse:
        index, size = int(body.get("pageIndex") or 1), int(body.get("pageSize") or 10)
        rows = sorted(rows, key=lambda r: (str(r.get("ts", "")), int(r.get("id", 0))))
        page = [{**r, "pubts": r.get("ts")} for r in rows[(index - 1) * size : index * size]]
        count = max(1, -(-len(rows) // size))
        info = {"pageIndex": index, "pageSize": size, "recordCount": len(rows), "pageCount": count}
        return _bip(data={**info, "recordList": page, "beginPageIndex": 1, "endPageIndex": count})

    def other_list(form: str, body: dict[str, Any]) -> JSONResponse:
        rows = state.rows(V, form)
        vos = body.get("simpleVOs") or []  # flat, or grouped as receivebill/list/v2 documents them
        flat = [c for vo in vos for c in (vo.get("conditions") or [] if "conditions" in vo else [vo])]
        for vo in flat:
            field, op, value = vo.get("field"), vo.get("op"), str(vo.get("value1", ""))
            field = "ts" if field == "pubts" else ("creditcode" if field == "creditCode" else field)
            texts = [(r, str(r.get(field, ""))) for r in rows]
            rows = [r for r, text in texts if (text == value if op == "eq" else text >= value)]
        return listing(rows, body)

    @router.get("/open-auth/dataCenter/getGatewayAddress")
    def gateway_address(request: Request, tenantId: str = "") -> JSONResponse:
        blocked = gate(state, V, "bip.datacenter")
        if blocked is not None:
            return blocked
        if tenantId != creds["tenant_id"]:
            return JSONResponse({"code": "1", "message": f"租户[{tenantId}]不存在"})
        base = str(request.base_url).rstrip("/")
        hosts = {"gatewayUrl": base + GATEWAY_PREFIX, "tokenUrl": base + TOKEN_PREFIX}
        return JSONResponse({"code": "00000", "message": "成功！", "data": hosts})

    @router.get(TOKEN_PREFIX + str(_D["bip_token_path"].default))
    def bip_token(appKey: str = "", timestamp: str = "", signature: str = "") -> JSONResponse:
        blocked = gate(state, V, "bip.token")
        if blocked is not None:
            return blocked
        if appKey != creds["app_key"]:
            return JSONResponse({"code": "10018", "message": "应用不存在或appKey已停用"})
        expected = yonbip_token(creds["app_key"], creds["app_secret"], timestamp)
        if not hmac.compare_digest(signature, expected):
            return JSONResponse({"code": "1090003500014", "message": "签名验证失败", "data": None})
        return JSONResponse(
            {"code": "00000", "message": "成功！", "data": {"access_token": erp.issue(), "expire": 7200}}
        )

    @router.post(GATEWAY_PREFIX + "/yonbip/{rest:path}")
    def bip_call(rest: str, body: Any = _BODY, access_token: str | None = None) -> JSONResponse:
        path = f"/yonbip/{rest}"
        blocked = gate(state, V, f"bip{path}")
        if blocked is not None:
            return blocked
        if not access_token:
            return _bip("310001", "缺少access_token")
        if not erp.token_ok(access_token):
            return _bip("310036", "非法token")
        body = body if isinstance(body, dict) else {}
        if path == OAR_SAVE:
            return batch_save(body)
        if path == OAR_SINGLE:
            return single_save(body)
        if path == OAR_LIST:
            return oar_list(body)
        if path == CUSTOMER_SAVE:
            row = erp.create("customer", dict(body.get("data") or {}), "C")
            if isinstance(row, str):
                return _bip("999", row)
            return lose_reply(state, V) or _bip(data={"id": str(row["id"]), "code": row["code"]})
        if path in LISTS:
            return other_list(LISTS[path], body)
        return JSONResponse({"code": "310404", "message": f"接口 {path} 不存在"}, status_code=404)

    return router
