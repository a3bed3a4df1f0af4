"""Yonyou payloads <-> the hub's finance records (pure functions). Medium confidence: field names
differ by edition and version; they live here, one place to correct.

U8 vouchers are named by the OpenAPI resource (``{"oughtreceive": {...}}``), YonBIP bodies are
``{"data": {...}}``. List rows of both editions are read with the same parsers (``ts`` on U8,
``pubts`` on YonBIP, ``YYYY-MM-DD HH:MM:SS`` Beijing time).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import MappingError
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer, ErpInvoice, ErpSettlement
from mapping.timestamps import to_cursor

__all__ = [
    "bill_from_row",
    "bip_customer",
    "bip_receivable",
    "customer_from_row",
    "invoice_from_row",
    "settlement_from_row",
    "u8_customer",
    "u8_receivable",
    "yonyou_time",
]


def yonyou_time(cursor: str) -> str:
    return datetime.fromisoformat(cursor).strftime("%Y-%m-%d %H:%M:%S")


def _remark(bill: BillRequest, codes: ErpCodes) -> str:
    return codes.remark.format(business_key=bill.business_key, bill_number=bill.key)


def u8_receivable(bill: BillRequest, customer_code: str, codes: ErpCodes) -> dict[str, Any]:
    return {
        "code": bill.key,
        "vouchtype": codes.bill_types.get("receivable", "R0"),
        "date": bill.bill_date.isoformat(),
        "duedate": bill.due_date.isoformat(),
        "cust_code": customer_code,
        "currency_name": codes.currency(bill.currency),
        "exchange_rate": "1",
        "dept_code": codes.department(bill.owner),
        "person_code": codes.salesman(bill.owner) or "",
        "digest": _remark(bill, codes),
        "amount": str(bill.amount),
        "entry": [
            {
                "item_code": codes.item_number,
                "taxrate": codes.tax_code(bill.tax_rate),
                "amount": str(bill.amount),
            }
        ],
    }


def u8_customer(customer: CustomerRequest, codes: ErpCodes) -> dict[str, Any]:
    return {
        "code": customer.number,
        "name": customer.name,
        "abbrname": customer.name[:20],
        "creditcode": customer.uscc or "",
        "address": customer.address or "",
        "phone": customer.phone or "",
    }


def bip_receivable(bill: BillRequest, customer_code: str, codes: ErpCodes) -> dict[str, Any]:
    codes.currency(bill.currency)  # refuse an unmapped currency here too
    return {
        "code": bill.key,
        "billtype_code": codes.bill_types.get("receivable", "R0"),
        "vouchdate": bill.bill_date.isoformat(),
        "dueDate": bill.due_date.isoformat(),
        "customer_code": customer_code,
        "currency_code": bill.currency,
        "accentity_code": codes.organisation.get("settle", ""),
        "dept_code": codes.department(bill.owner),
        "memo": _remark(bill, codes),
        "oriSum": str(bill.amount),
        "_status": "Insert",
        "bodyItem": [
            {
                "expenseitem_code": codes.item_number,
                "taxRate": codes.tax_code(bill.tax_rate),
                "oriSum": str(bill.amount),
                "_status": "Insert",
            }
        ],
    }


def bip_customer(customer: CustomerRequest, codes: ErpCodes) -> dict[str, Any]:
    return {
        "code": customer.number,
        "name": {"zh_CN": customer.name},
        "creditCode": customer.uscc or "",
        "address": customer.address or "",
        "createOrg_code": codes.organisation.get("create", ""),
        "_status": "Insert",
    }


def _text(row: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if isinstance(value, dict):
            value = value.get("zh_CN")
        if value not in (None, ""):
            return str(value)
    return ""


def _money(row: Mapping[str, Any], *names: str) -> Decimal:
    try:
        return Decimal(_text(row, *names) or "0")
    except InvalidOperation:
        raise MappingError(f"yonyou: {names[0]} is not a number", names[0]) from None


def _day(row: Mapping[str, Any]) -> date:
    text = _text(row, "vouchdate", "date")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise MappingError(f"yonyou: vouchdate is not a date: {text!r}", "vouchdate") from None


def _modified(row: Mapping[str, Any]) -> str:
    text = _text(row, "pubts", "ts")
    try:
        return to_cursor(datetime.fromisoformat(text.replace(" ", "T")[:19]))
    except ValueError:
        raise MappingError(f"yonyou: ts is not a time: {text!r}", "ts") from None


def bill_from_row(row: Mapping[str, Any]) -> ErpBill:
    return ErpBill(
        erp_id=_text(row, "id"),
        number=_text(row, "code"),
        key=_text(row, "memo", "digest") or None,
        amount=_money(row, "oriSum", "amount"),
    )


def customer_from_row(row: Mapping[str, Any]) -> ErpCustomer:
    return ErpCustomer(
        erp_id=_text(row, "id"),
        number=_text(row, "code"),
        name=_text(row, "name"),
        uscc=_text(row, "creditcode", "creditCode") or None,
        address=_text(row, "address") or None,
        modified_at=_modified(row),
    )


def settlement_from_row(row: Mapping[str, Any], *, write_off: bool) -> ErpSettlement:
    return ErpSettlement(
        erp_id=("W" if write_off else "R") + _text(row, "id"),
        kind="write_off" if write_off else "receipt",
        bill_number=_text(row, "src_code"),
        amount=_money(row, "oriSum", "amount"),
        occurred_on=_day(row),
        modified_at=_modified(row),
    )


def invoice_from_row(row: Mapping[str, Any]) -> ErpInvoice:
    special = _text(row, "invoice_type") in ("special", "专用发票", "1")
    return ErpInvoice(
        erp_id=_text(row, "id"),
        number=_text(row, "code"),
        kind="special" if special else "ordinary",
        bill_number=_text(row, "src_code"),
        amount=_money(row, "oriSum", "amount"),
        issued_on=_day(row),
        modified_at=_modified(row),
    )
