"""Yonyou payloads <-> the hub's finance records (pure functions). Field names follow the sources in
``connectors/yonyou/README.md`` (conformance table); they live here, one place to correct.

U8 vouchers are named by the OpenAPI resource (``{"oughtreceive": {...}}``). A YonBIP receivable is one
应收事项 bill with its ``oarDetail`` rows; the connector wraps it (``{"data": [bill]}`` for ``oar/save``,
``{"data": bill}`` for ``oar/single/save``). List rows of both editions are read with the same parsers
(``ts`` on U8, ``pubts`` on YonBIP, ``YYYY-MM-DD HH:MM:SS`` Beijing time).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
    """The 应收单 of ``POST /api/oughtreceive/add`` (head and ``entry`` rows as the sources name them)."""
    person = codes.salesman(bill.owner) or ""
    shared = {
        "cust_vendor_code": customer_code,
        "deptcode": codes.department(bill.owner),
        "personcode": person,
        "digest": _remark(bill, codes),
        "currency_name": codes.currency(bill.currency),
        "currency_rate": "1",
        "natamount": str(bill.amount),
        "amount": str(bill.amount),
    }
    return {
        "vouchertype": codes.bill_types.get("receivable", "R0"),
        "code": bill.key,
        "date": bill.bill_date.isoformat(),
        **shared,
        "bdebitcredit": "1",
        "entry": [{**shared, "item_code": codes.item_number, "bdebitcredit": "0"}],
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


_CENT = Decimal("0.01")


def _number(value: Decimal) -> int | float:
    """A JSON number (the oar pages type amounts as double, rates as Decimal)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _day_text(day: date, *, with_time: bool) -> str:
    return f"{day.isoformat()} 00:00:00" if with_time else day.isoformat()


def bip_receivable(bill: BillRequest, customer_code: str, codes: ErpCodes, *, batch: bool) -> dict[str, Any]:
    """One 其他应收事项 bill with one ``oarDetail`` row. ``batch`` (``oar/save``) adds ``billtype`` and
    ``basebilltype_code`` and writes dates as ``yyyy-MM-dd HH:mm:ss``; ``oar/single/save`` takes
    ``yyyy-MM-dd`` and no bill type. Amounts are tax inclusive; the rate is 1 (本币 = 原币)."""
    codes.currency(bill.currency)  # refuse an unmapped currency here too
    total = bill.amount.quantize(_CENT, ROUND_HALF_UP)
    net = (total / (1 + bill.tax_rate)).quantize(_CENT, ROUND_HALF_UP)
    tax = total - net
    amounts = {"oriSum": _number(total), "oriMoney": _number(net), "oriTax": _number(tax)}
    natural = {"natSum": _number(total), "natMoney": _number(net), "natTax": _number(tax)}
    item = "expenseitem_code" if codes.item_kind == "expense" else "material_code"
    dept = codes.department(bill.owner)
    detail = {
        item: codes.item_number,
        "taxRate": _number(Decimal(codes.tax_code(bill.tax_rate))),
        **amounts,
        **natural,
        "customer_code": customer_code,
        "dept_code": dept,
        "description": _remark(bill, codes),
        "_status": "Insert",
    }
    head: dict[str, Any] = {"accentity_code": codes.organisation.get("settle", "")}
    if codes.key_field == "bill_no":
        head["code"] = bill.key
    head["vouchdate"] = _day_text(bill.bill_date, with_time=batch)
    if batch:
        head["billtype"] = "2"  # 其它应收事项, "固定为2"
        head["basebilltype_code"] = codes.bill_types.get("bip_base_bill_type", "arap_oar")
    return {
        **head,
        "tradetype_code": codes.bill_types.get("bip_trade_type", "arap_oar_other"),
        "customer_code": customer_code,
        "currency_name": bill.currency.upper(),
        "exchRate": 1,
        "exchangeRateType_code": codes.bill_types.get("bip_rate_type", "01"),
        "oriSum": amounts["oriSum"],
        "natSum": natural["natSum"],
        "maturitydate": _day_text(bill.due_date, with_time=batch),
        "dept_code": dept,
        "contractno": bill.contract_number,
        "description": _remark(bill, codes),
        "_status": "Insert",
        "oarDetail": [detail],
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
        key=_text(row, "description", "memo", "digest") or None,
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
