"""The signed contract API and the spreadsheet import."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.webform.signature import sign
from core.models import Contract, OutboxMessage
from hub.api.contracts import build_contract_router
from services.finance.excel import import_contracts
from services.finance.settings import ContractApiSettings
from store.engine import session_scope

from .conftest import contract

SECRET = "crm-contract-secret-5f1c"


@pytest.fixture
def client(store: Engine) -> TestClient:
    app = FastAPI()
    app.include_router(build_contract_router(store, ContractApiSettings(secrets={"crm": SecretStr(SECRET)})))
    return TestClient(app)


def post(
    client: TestClient, body: Any, *, secret: str = SECRET, client_id: str = "crm", stamp: int | None = None
) -> Any:
    raw = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, bytes) else body
    stamp = int(time.time()) if stamp is None else stamp
    headers = {
        "X-SyncHub-Timestamp": str(stamp),
        "X-SyncHub-Signature": sign(secret, stamp, raw),
        "Content-Type": "application/json",
    }
    return client.post(f"/hooks/contracts/{client_id}", content=raw, headers=headers)


def test_a_signed_contract_is_created_once_and_answered_with_its_schedule(
    client: TestClient, store: Engine
) -> None:
    first = post(client, contract("HT-A1"))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "created" and [i["due_date"] for i in body["installments"]] == [
        "2026-11-20",
        "2027-02-18",
    ]
    time.sleep(1.01)  # a new timestamp, so a new signature: a retry by the CRM, not a replay
    again = post(client, contract("HT-A1"))
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 2
        actors = set(s.scalars(select(AuditLog.actor).where(AuditLog.entity_type == "contract")))
    assert actors == {"api:crm"}


def test_refusals_are_clear_and_store_nothing(client: TestClient, store: Engine) -> None:
    assert post(client, contract("HT-A2"), secret="wrong").status_code == 401
    assert post(client, contract("HT-A2"), stamp=int(time.time()) - 3600).status_code == 401
    assert post(client, contract("HT-A2"), client_id="erp").status_code == 404
    assert post(client, b"{not json").status_code == 400
    invalid = post(client, contract("HT-A2", amount="-5", payment_terms={"installments": [60, 60]}))
    assert invalid.status_code == 422
    assert invalid.json()["problems"] == ["amount: must be greater than 0 and at most 1000000000000"]
    shape = post(client, {"number": "HT-A2"})
    assert shape.status_code == 422 and {p.split(":")[0] for p in shape.json()["problems"]} == {
        "customer",
        "amount",
        "signed_at",
        "payment_terms",
    }
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 0


def test_a_replayed_request_and_a_conflicting_contract_are_409(client: TestClient) -> None:
    raw = json.dumps(contract("HT-A3")).encode()
    stamp = int(time.time())
    headers = {"X-SyncHub-Timestamp": str(stamp), "X-SyncHub-Signature": sign(SECRET, stamp, raw)}
    assert client.post("/hooks/contracts/crm", content=raw, headers=headers).status_code == 201
    assert client.post("/hooks/contracts/crm", content=raw, headers=headers).status_code == 409
    conflict = post(client, contract("HT-A3", amount="1.00"))
    assert conflict.status_code == 409 and "different" in conflict.json()["error"]


def write_sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026年11月签约合同"])
    sheet.append(
        [
            "合同编号",
            "客户名称",
            "统一社会信用代码",
            "合同金额",
            "币种",
            "税率",
            "签约日期",
            "付款条款",
            "负责人",
        ]
    )
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_contracts_import_from_a_spreadsheet_with_bad_rows_reported_by_line(
    store: Engine, tmp_path: Path
) -> None:
    from datetime import datetime

    sheet = write_sheet(
        tmp_path / "contracts.xlsx",
        [
            [
                "HT-X1",
                "苏州康达医疗科技有限公司",
                "",
                480000,
                "CNY",
                0.13,
                datetime(2026, 11, 18),
                "30@0, 70@60",
                "zhao.liu",
            ],
            ["HT-X2", "宁波海曙精工有限公司", "", "1,200,000.00", "", "9%", "2026/11/19", "50/50", ""],
            ["HT-X3", "", "", 1000, "CNY", 0.13, "2026-11-19", "100@0", ""],
            ["HT-X4", "无锡新材料有限公司", "", 1000, "CNY", 0.13, "2026-11-19", "60@0, 60@30", ""],
            ["HT-X5", "常州电子有限公司", "", 1000, "RMB", 0.13, "2026-11-19", "100@0", ""],
        ],
    )
    report = import_contracts(store, sheet)
    assert (report.rows, report.created) == (5, ["HT-X1", "HT-X2"])
    lines = dict(report.rejected)
    assert set(lines) == {5, 6, 7}
    assert "customer" in lines[5] and "percentages add up to 120" in lines[6] and "currency: RMB" in lines[7]
    again = import_contracts(store, sheet)
    assert (again.created, again.unchanged) == ([], ["HT-X1", "HT-X2"])
    with session_scope(store) as s:
        amounts = {c.number: str(c.amount) for c in s.scalars(select(Contract))}
    assert amounts == {"HT-X1": "480000.00", "HT-X2": "1200000.00"}
