"""Inputs the demo feeds the hub: a trade-show spreadsheet and a burst of web-form submissions,
both made from the sandbox's seeded generator so the same companies recur across channels."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import openpyxl

from connectors.sandbox.seed import generate_leads
from connectors.webform import sign

__all__ = ["WEBFORM_SECRET", "send_webform_burst", "write_trade_show_file"]

WEBFORM_SECRET = "demo-form-secret"


def write_trade_show_file(path: Path, rows: int = 300, seed: int = 5) -> Path:
    """An .xlsx as exhibitions export it: a title row, a blank row, Chinese headers, a few bad rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026 中国国际医疗器械博览会（上海） 意向客户登记表"])
    sheet.append([])
    sheet.append(["公司名称", "联系人", "手机", "邮箱", "所在地区", "详细地址", "意向产品", "预算", "备注"])
    for i, lead in enumerate(generate_leads(f"expo-{seed}", rows)):
        if i % 50 == 7:  # nobody to reach: rejected with its line number
            sheet.append(["", lead.contact or "参观者", "", "", lead.city, "", "", "", "名片丢失"])
            continue
        sheet.append(
            [
                lead.company or "",
                lead.contact or "",
                lead.phone or "",
                lead.email or "",
                f"{lead.province} {lead.city}",
                lead.address or "",
                lead.product or "",
                lead.budget or "",
                lead.remark,
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _submission(i: int, lead: Any) -> dict[str, Any]:
    return {
        "submission_id": f"web-{i:05d}",
        "submitted_at": lead.created_at.isoformat(),
        "fields": {
            "name": lead.contact,
            "phone": lead.phone,
            "email": lead.email,
            "company": lead.company,
            "address": lead.address,
            "city": lead.city,
            "product": lead.product,
            "budget": lead.budget,
            "remark": lead.remark,
            "utm_source": "website",
            "utm_campaign": "骨科专题页",
        },
    }


def send_webform_burst(base_url: str, form_id: str, count: int = 60) -> dict[str, int]:
    """Signed submissions over real HTTP, with retries, an unmappable one and some forgeries mixed in."""
    answers: dict[str, int] = {}
    leads = generate_leads("webform", count)
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for i, lead in enumerate(leads):
            body = _submission(i, lead)
            if i % 20 == 5:
                body["fields"] = {"name": "匿名访客", "remark": "请回电"}  # nobody to reach
            raw = json.dumps(body, ensure_ascii=False).encode()
            stamp = int(time.time())
            secret = "guessed-secret" if i % 25 == 9 else WEBFORM_SECRET
            headers = {"X-SyncHub-Timestamp": str(stamp), "X-SyncHub-Signature": sign(secret, stamp, raw)}
            for attempt in range(2 if i % 10 == 3 else 1):  # a sender retrying a delivered webhook
                headers["X-SyncHub-Timestamp"] = str(stamp + attempt)
                headers["X-SyncHub-Signature"] = sign(secret, stamp + attempt, raw)
                status = client.post(f"/hooks/forms/{form_id}", content=raw, headers=headers).status_code
                answers[str(status)] = answers.get(str(status), 0) + 1
    return answers
