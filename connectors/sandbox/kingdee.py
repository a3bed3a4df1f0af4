"""Kingdee K3 Cloud simulator at its real paths: ``POST /k3cloud/Kingdee.BOS.WebApi.ServicesStub.
<Service>.<Op>.common.kdsvc`` (AuthService login, DynamicFormService Save/Submit/Audit/View/
ExecuteBillQuery), session login or the SDK's signed headers (:mod:`connectors.sandbox.kingdee_auth`),
ResponseStatus error shapes, the AR_receivable required fields of the form's document, the fault
switches of :mod:`connectors.sandbox.erp_state`. ``FBillNo`` and customer ``FNumber`` are unique, as
in a real account set; a bill without a number gets ``AR`` + a sequence."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from connectors.kingdee.settings import KingdeeSettings
from connectors.sandbox.erp_state import (
    ERP_CREDENTIALS,
    ErpState,
    admin_router,
    erp_state_of,
    gate,
    lose_reply,
)
from connectors.sandbox.kingdee_auth import SandboxAuth, lost_session

__all__ = ["build_router", "sandbox_settings"]

V = "kingdee"
PREFIX = "Kingdee.BOS.WebApi.ServicesStub."
# AR_receivable fields the form's document marks required (fixture sdk/ar_receivable_required_fields.json)
AR_REQUIRED = ("FDATE", "FSETTLEORGID", "FCURRENCYID", "FBillTypeID", "FENDDATE_H", "FCancelStatus",
               "FCUSTOMERID", "FPAYORGID")  # fmt: skip
AR_FINANCE_REQUIRED = ("FMAINBOOKSTDCURRID", "FEXCHANGETYPE", "FACCNTTIMEJUDGETIME")
LABELS = {"FDATE": "业务日期", "FSETTLEORGID": "结算组织", "FCURRENCYID": "币别", "FBillTypeID": "单据类型",
          "FENDDATE_H": "到期日", "FCancelStatus": "作废状态", "FCUSTOMERID": "客户", "FPAYORGID": "收款组织",
          "FMAINBOOKSTDCURRID": "本位币", "FEXCHANGETYPE": "汇率类型",
          "FACCNTTIMEJUDGETIME": "到期日计算日期"}  # fmt: skip
_COND = re.compile(r"^\s*(\w+)\s*(>=|<=|<>|=|>|<)\s*'((?:[^']|'')*)'\s*$")


def sandbox_settings(base_url: str, **overrides: Any) -> KingdeeSettings:
    """Connector settings pointing at a running sandbox (``base_url`` without /k3cloud)."""
    values: dict[str, Any] = {"base_url": base_url + "/k3cloud", **ERP_CREDENTIALS[V]}
    values.update(overrides)
    return KingdeeSettings(**values)


def _status(
    ok: bool, msg_code: int = 0, errors: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    status = {
        "IsSuccess": ok,
        "ErrorCode": 0 if ok else 500,
        "Errors": errors or [],
        "SuccessEntitys": [],
        "SuccessMessages": [],
        "MsgCode": msg_code,
    }
    status.update(extra)
    return {"Result": {"ResponseStatus": status}}


def _fail(message: str, msg_code: int = 0, field: str = "") -> dict[str, Any]:
    return _status(False, msg_code, [{"FieldName": field, "Message": message, "DIndex": 0}])


def _payload(body: Any, key: str = "data") -> dict[str, Any]:
    value = body.get(key) if isinstance(body, dict) else None
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _num(ref: Any) -> str | None:
    return str(ref.get("FNumber")) if isinstance(ref, dict) and ref.get("FNumber") else None


def _matches(row: dict[str, Any], where: str) -> bool:
    for part in filter(None, (p.strip() for p in re.split(r"(?i)\s+and\s+", where or ""))):
        m = _COND.match(part)
        if m is None:
            raise ValueError(f"unsupported FilterString: {part}")
        field, op, value = m.group(1), m.group(2), m.group(3).replace("''", "'")
        have = str(row.get(field, "")).replace("T", " ")
        value = value.replace("T", " ")
        ok = {
            "=": have == value,
            "<>": have != value,
            ">=": have >= value,
            "<=": have <= value,
            ">": have > value,
            "<": have < value,
        }[op]
        if not ok:
            return False
    return True


def _sort_key(field: str) -> Callable[[dict[str, Any]], tuple[int, str]]:
    def key(row: dict[str, Any]) -> tuple[int, str]:
        value = row.get(field)
        return (0, f"{value:020d}") if isinstance(value, int) else (1, str(value or ""))

    return key


class _Kingdee:
    def __init__(self, state: ErpState) -> None:
        self.state = state

    def save(self, form: str, data: dict[str, Any]) -> JSONResponse:
        model = data.get("Model") if isinstance(data.get("Model"), dict) else {}
        assert isinstance(model, dict)
        if self.state.take(V, "slow_commit"):
            time.sleep(self.state.faults[V].stall_seconds)
        with self.state.lock:
            problem = self._check(form, model)
            if problem is not None:
                return JSONResponse(problem)
            row = self._create(form, model, str(data.get("IsAutoSubmitAndAudit", "false")).lower() == "true")
        lost = lose_reply(self.state, V)
        if lost is not None:
            return lost
        key = "FCUSTID" if form == "BD_Customer" else "FID"
        number = row["FNumber" if form == "BD_Customer" else "FBillNo"]
        entity = {"Id": row[key], "Number": number, "DIndex": 0}
        reply = _status(True, SuccessEntitys=[entity])
        reply["Result"].update({"Id": row[key], "Number": number, "NeedReturnData": [{"FBillNo": number}]})
        return JSONResponse(reply)

    def _check(self, form: str, model: dict[str, Any]) -> dict[str, Any] | None:
        if form == "BD_Customer":
            if not model.get("FNumber") or not model.get("FName"):
                return _fail("编码和名称是必录项", 11, "FNumber")
            if self.state.find(V, form, "FNumber", model["FNumber"]):
                return _fail(f"违反字段唯一性要求：编码唯一。[{model['FNumber']}]已经被使用。", 11, "FNumber")
            return None
        if form != "AR_receivable":
            return _fail(f"表单 {form} 不支持保存", 8)
        finance = model.get("FsubHeadFinc") if isinstance(model.get("FsubHeadFinc"), dict) else {}
        assert isinstance(finance, dict)
        missing = [k for k in AR_REQUIRED if not model.get(k)]
        missing += [k for k in AR_FINANCE_REQUIRED if not finance.get(k)]
        if missing:  # one error per field, as the vendor lists them (fixture sdk/save_missing_required.json)
            errors = [{"FieldName": k, "Message": f"字段“{LABELS[k]}”是必填项", "DIndex": 0} for k in missing]
            return _status(False, 11, errors)
        customer = _num(model.get("FCUSTOMERID"))
        if customer is None or self.state.find(V, "BD_Customer", "FNumber", customer) is None:
            return _fail(f"客户编码[{customer}]不存在", 11, "FCUSTOMERID")
        if not model.get("FEntityDetail"):
            return _fail("单据体【明细】至少要有一行分录", 11, "FEntityDetail")
        number = model.get("FBillNo")
        if number and self.state.find(V, form, "FBillNo", number):
            return _fail(f"违反字段唯一性要求：单据编号唯一。[{number}]已经被使用。", 11, "FBillNo")
        return None

    def _create(self, form: str, model: dict[str, Any], audit: bool) -> dict[str, Any]:
        ident = self.state.next_id()
        if form == "BD_Customer":
            row = {k: model.get(k) for k in ("FNumber", "FName", "FSOCIALCRECODE", "FADDRESS", "FTEL")}
            return self.state.add(V, form, {"FCUSTID": ident, **row, "FDOCUMENTSTATUS": "C"})
        total = sum(
            float(line.get("FALLAMOUNTFOR_D") or line.get("FTaxPrice") or 0)
            for line in model["FEntityDetail"]
        )
        row = {
            "FID": ident,
            "FBillNo": model.get("FBillNo") or f"AR{ident:08d}",
            "FAR_Remark": model.get("FAR_Remark"),
            "FALLAMOUNTFOR": round(total, 2),
            "FDOCUMENTSTATUS": "C" if audit else "A",
            "FCUSTOMERID": _num(model.get("FCUSTOMERID")),
            "FDATE": f"{model['FDATE']}T00:00:00",
            "FENDDATE_H": f"{model['FENDDATE_H']}T00:00:00",
            "Model": model,
        }
        return self.state.add(V, form, row)

    def advance(self, op: str, form: str, data: dict[str, Any]) -> JSONResponse:
        wanted = {"Submit": ("A", "B"), "Audit": ("B", "C")}[op]
        for number in data.get("Numbers") or []:
            with self.state.lock:
                row = self.state.find(V, form, "FBillNo", number)
                if row is None:
                    return JSONResponse(_fail(f"单据[{number}]不存在", 10))
                if row["FDOCUMENTSTATUS"] == wanted[0]:
                    row["FDOCUMENTSTATUS"] = wanted[1]
                    row["FModifyDate"] = self.state.clock()
        return JSONResponse(_status(True))

    def view(self, form: str, data: dict[str, Any]) -> JSONResponse:
        key, value = ("FBillNo", data.get("Number")) if data.get("Number") else ("FID", data.get("Id"))
        row = self.state.find(V, form, key, value) if value else None
        if row is None:
            return JSONResponse(_fail("未找到对应数据", 10))
        reply = _status(True)
        reply["Result"]["Result"] = {k: v for k, v in row.items() if k != "Model"} | {"Id": row.get("FID")}
        return JSONResponse(reply)

    def query(self, body: Any) -> JSONResponse:
        data = _payload(body)
        form = str(data.get("FormId", ""))
        keys = [k.strip() for k in str(data.get("FieldKeys", "")).split(",") if k.strip()]
        try:
            rows = [r for r in self.state.rows(V, form) if _matches(r, str(data.get("FilterString") or ""))]
        except ValueError as exc:
            return JSONResponse([[_fail(str(exc), 8)]])
        for part in reversed([p.split() for p in str(data.get("OrderString") or "").split(",") if p.strip()]):
            rows.sort(key=_sort_key(part[0]), reverse=len(part) > 1 and part[1].upper() == "DESC")
        start, limit = int(data.get("StartRow") or 0), int(data.get("Limit") or 2000)
        return JSONResponse([[row.get(k) for k in keys] for row in rows[start : start + limit]])


def build_router(sandbox: Any) -> APIRouter:
    """The simulator over ``sandbox`` (a ``SandboxState``, whose ERP state it uses, or an ``ErpState``),
    plus the ERP admin endpoints (:func:`~connectors.sandbox.erp_state.admin_router`)."""
    state = sandbox if isinstance(sandbox, ErpState) else erp_state_of(sandbox)
    router = APIRouter(tags=["kingdee"])
    erp = _Kingdee(state)
    auth = SandboxAuth(state)

    router.include_router(admin_router(state))

    @router.post("/k3cloud/{stub}")
    def call(stub: str, request: Request, body: Any = Body(None)) -> JSONResponse:  # noqa: B008
        if not stub.startswith(PREFIX) or not stub.endswith(".common.kdsvc"):
            return JSONResponse({"message": "not found"}, status_code=404)
        service, _, op = stub[len(PREFIX) : -len(".common.kdsvc")].partition(".")
        blocked = gate(state, V, f"{service}.{op}")
        if blocked is not None:
            return blocked
        if service == "AuthService" and op in ("LoginByAppSecret", "ValidateUser"):
            return auth.login(op, body)
        if state.take(V, "expire_session"):
            with state.lock:
                state.sessions[V].clear()
        session, opened = auth.authenticate(request)
        if session is None:
            lost = lost_session()
            return JSONResponse([[lost]] if op == "ExecuteBillQuery" else lost)
        reply = answer(service, op, body)
        return auth.cookies_on(reply, session) if opened else reply

    def answer(service: str, op: str, body: Any) -> JSONResponse:
        if op == "ExecuteBillQuery":
            return erp.query(body)
        form = str(body.get("formid", "")) if isinstance(body, dict) else ""
        data = _payload(body)
        if op in ("Save", "Submit", "Audit", "View"):
            state.count(V, f"{op}.{form}")
            if op == "Save":
                return erp.save(form, data)
            return erp.view(form, data) if op == "View" else erp.advance(op, form, data)
        return JSONResponse(_fail(f"不支持的操作 {service}.{op}", 8))

    return router
