"""The ERP simulators' admin endpoints and error shapes."""

from __future__ import annotations

import httpx

from connectors.sandbox.erp_state import ERP_CREDENTIALS

from .conftest import Erp

STUB = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub."


def test_faults_are_switched_over_http_and_stats_count_calls(erp: Erp) -> None:
    with httpx.Client(base_url=erp.base_url) as http:
        changed = http.put("/_sandbox/erp/faults", json={"kingdee": {"server_error": 1}})
        assert changed.status_code == 200 and changed.json()["kingdee"]["server_error"] == 1
        assert http.put("/_sandbox/erp/faults", json={"kingdee": {"nope": 1}}).status_code == 400
        creds = ERP_CREDENTIALS["kingdee"]
        login = [creds["acct_id"], creds["username"], creds["app_id"], creds["app_secret"], 2052]
        assert (
            http.post(
                STUB + "AuthService.LoginByAppSecret.common.kdsvc", json={"parameters": login}
            ).status_code
            == 503
        )
        ok = http.post(STUB + "AuthService.LoginByAppSecret.common.kdsvc", json={"parameters": login})
        assert ok.json()["LoginResultType"] == 1 and ok.cookies.get("kdservice-sessionid")
        wrong = http.post(
            STUB + "AuthService.LoginByAppSecret.common.kdsvc", json={"parameters": [*login[:3], "x", 2052]}
        )
        assert wrong.json()["LoginResultType"] == 0
        http.cookies.clear()  # no session: the Save is refused as "session lost"
        lost = http.post(
            STUB + "DynamicFormService.Save.common.kdsvc", json={"formid": "AR_receivable", "data": {}}
        )
        assert lost.json()["Result"]["ResponseStatus"]["MsgCode"] == 1
        stats = http.get("/_sandbox/erp/stats").json()
        assert (
            stats["stats"]["kingdee"]["fault.server_error"] == 1 and stats["stats"]["kingdee"]["login"] == 2
        )
        assert http.post("/_sandbox/erp/reset").json() == {"status": "reset"}
        assert http.get("/_sandbox/erp/faults").json()["kingdee"]["server_error"] == 0


def test_yonyou_refuses_bad_credentials_and_unknown_tradeids(erp: Erp) -> None:
    creds = ERP_CREDENTIALS["yonyou"]
    with httpx.Client(base_url=erp.base_url) as http:
        bad = http.get(
            "/system/token", params={"from_account": creds["from_account"], "app_key": "x", "app_secret": "y"}
        )
        assert bad.json()["errcode"] != "0"
        params = {k: creds[k] for k in ("from_account", "app_key", "app_secret")}
        token = http.get("/system/token", params=params).json()["token"]["id"]
        add = http.post(
            "/api/oughtreceive/add", params={"token": token, "tradeid": "unknown"}, json={"oughtreceive": {}}
        )
        assert add.json()["errcode"] == "30002"
        expired = http.get("/api/oughtreceive/get", params={"token": "stale", "id": "X"})
        assert expired.json()["errcode"] == "30001"
