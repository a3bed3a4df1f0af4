"""Kingdee K3 Cloud payloads <-> the hub's finance records (pure functions).

Save models follow the public WebAPI: base data by number (``{"FNumber": ...}``), dates as
``YYYY-MM-DD``, entry rows in ``FEntityDetail`` (lines) and ``FEntityPlan`` (receipt plan).
Query rows are arrays in the order of the ``*_FIELDS`` tuples below (``ExecuteBillQuery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import MappingError
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer, ErpInvoice, ErpSettlement
from mapping.timestamps import to_cursor

__all__ = [
    "BILL_FIELDS",
    "CUSTOMER_FIELDS",
    "INVOICE_FIELDS",
    "RECEIPT_FIELDS",
    "WRITE_OFF_FIELDS",
    "bill_from_row",
    "customer_from_row",
    "customer_model",
    "invoice_from_row",
    "kingdee_time",
    "quote",
    "receivable_model",
    "settlement_from_row",
]

BILL_FIELDS = ("FID", "FBillNo", "FAR_Remark", "FALLAMOUNTFOR", "FDOCUMENTSTATUS")
CUSTOMER_FIELDS = ("FCUSTID", "FNumber", "FName", "FSOCIALCRECODE", "FADDRESS", "FTEL", "FModifyDate")
RECEIPT_FIELDS = ("FID", "FBillNo", "FDATE", "FREALRECAMOUNTFOR", "FSRCBILLNO", "FModifyDate")
WRITE_OFF_FIELDS = ("FID", "FBillNo", "FDATE", "FAMOUNTFOR", "FSRCBILLNO", "FModifyDate")
INVOICE_FIELDS = ("FID", "FBillNo", "FDATE", "FALLAMOUNTFOR", "FSRCBILLNO", "FModifyDate")


def quote(value: str) -> str:
    """A FilterString literal: single quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def kingdee_time(cursor: str) -> str:
    """Cursor text (ISO, Beijing time) as a FilterString time literal's content."""
    moment = datetime.fromisoformat(cursor)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _ref(number: str | None) -> dict[str, str] | None:
    return {"FNumber": number} if number else None


def receivable_model(
    bill: BillRequest, customer_number: str, codes: ErpCodes, *, main_book_currency: str, exchange_type: str
) -> dict[str, Any]:
    """The ``Model`` of an ``AR_receivable`` Save: one line, one receipt-plan row.

    The form's document marks ``FCancelStatus`` (作废状态, ``"A"`` = not cancelled) and the
    ``FsubHeadFinc`` fields ``FMAINBOOKSTDCURRID`` (本位币), ``FEXCHANGETYPE`` (汇率类型) and
    ``FACCNTTIMEJUDGETIME`` (到期日计算日期, the bill date as in the vendor's example) as required; the
    two currency numbers are per account set (settings). Rate 1 is sent only when the bill is in the
    base currency; otherwise the ERP takes the rate of the exchange type.
    """
    org = codes.organisation
    currency = codes.currency(bill.currency)
    finance: dict[str, Any] = {
        "FACCNTTIMEJUDGETIME": bill.bill_date.isoformat(),
        "FMAINBOOKSTDCURRID": _ref(main_book_currency),
        "FEXCHANGETYPE": _ref(exchange_type),
    }
    if currency == main_book_currency:
        finance["FExchangeRate"] = 1
    line: dict[str, Any] = {
        "FPriceQty": 1,
        "FTaxPrice": str(bill.amount),
        "FEntryTaxRate": str((bill.tax_rate * 100).normalize()),
        "FTaxCombination": _ref(codes.tax_code(bill.tax_rate)),
        "FALLAMOUNTFOR_D": str(bill.amount),
    }
    if codes.item_kind == "material":
        line["FMATERIALID"] = _ref(codes.item_number)
        line["FPRICEUNITID"] = _ref(codes.item_unit)
    else:
        line["FCOSTID"] = _ref(codes.item_number)
    plan = {"FENDDATE": bill.due_date.isoformat(), "FPAYRATE": 100, "FPAYAMOUNTFOR": str(bill.amount)}
    model: dict[str, Any] = {
        "FID": 0,
        "FBillTypeID": _ref(codes.bill_types.get("receivable", "YSD01_SYS")),
        "FDATE": bill.bill_date.isoformat(),
        "FENDDATE_H": bill.due_date.isoformat(),
        "FCUSTOMERID": _ref(customer_number),
        "FCURRENCYID": _ref(currency),
        "FSETTLEORGID": _ref(org.get("settle")),
        "FPAYORGID": _ref(org.get("pay")),
        "FSALEORGID": _ref(org.get("sale")),
        "FSALEDEPTID": _ref(codes.department(bill.owner)),
        "FSALEERID": _ref(codes.salesman(bill.owner)),
        "FISPRICEEXCLUDETAX": False,
        "FCancelStatus": "A",
        "FsubHeadFinc": finance,
        "FAR_Remark": codes.remark.format(business_key=bill.business_key, bill_number=bill.key),
        "FEntityDetail": [line],
        "FEntityPlan": [plan],
    }
    if codes.key_field == "bill_no":
        model["FBillNo"] = bill.key
    return {k: v for k, v in model.items() if v is not None}


def customer_model(customer: CustomerRequest, codes: ErpCodes) -> dict[str, Any]:
    """The ``Model`` of a ``BD_Customer`` Save for a customer the ERP does not have yet."""
    org = codes.organisation.get("create")
    model: dict[str, Any] = {
        "FCUSTID": 0,
        "FNumber": customer.number,
        "FName": customer.name,
        "FCreateOrgId": _ref(org),
        "FUseOrgId": _ref(org),
        "FSOCIALCRECODE": customer.uscc,
        "FADDRESS": customer.address,
        "FTEL": customer.phone,
    }
    return {k: v for k, v in model.items() if v is not None}


def _text(row: Sequence[Any], fields: Sequence[str], name: str) -> str:
    value = row[fields.index(name)] if len(row) > fields.index(name) else None
    return "" if value is None else str(value)


def _money(row: Sequence[Any], fields: Sequence[str], name: str) -> Decimal:
    try:
        return Decimal(_text(row, fields, name) or "0")
    except InvalidOperation:
        raise MappingError(f"kingdee: {name} is not a number: {_text(row, fields, name)!r}", name) from None


def _day(row: Sequence[Any], fields: Sequence[str], name: str) -> date:
    text = _text(row, fields, name)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise MappingError(f"kingdee: {name} is not a date: {text!r}", name) from None


def _modified(row: Sequence[Any], fields: Sequence[str]) -> str:
    text = _text(row, fields, "FModifyDate")
    try:
        return to_cursor(datetime.fromisoformat(text.replace(" ", "T")[:19]))
    except ValueError:
        raise MappingError(f"kingdee: FModifyDate is not a time: {text!r}", "FModifyDate") from None


def bill_from_row(row: Sequence[Any]) -> ErpBill:
    f = BILL_FIELDS
    return ErpBill(
        erp_id=_text(row, f, "FID"),
        number=_text(row, f, "FBillNo"),
        key=_text(row, f, "FAR_Remark") or None,
        amount=_money(row, f, "FALLAMOUNTFOR"),
        status=_text(row, f, "FDOCUMENTSTATUS") or None,
    )


def customer_from_row(row: Sequence[Any]) -> ErpCustomer:
    f = CUSTOMER_FIELDS
    return ErpCustomer(
        erp_id=_text(row, f, "FCUSTID"),
        number=_text(row, f, "FNumber"),
        name=_text(row, f, "FName"),
        uscc=_text(row, f, "FSOCIALCRECODE") or None,
        address=_text(row, f, "FADDRESS") or None,
        phone=_text(row, f, "FTEL") or None,
        modified_at=_modified(row, f),
    )


def settlement_from_row(row: Sequence[Any], *, write_off: bool) -> ErpSettlement:
    f = WRITE_OFF_FIELDS if write_off else RECEIPT_FIELDS
    return ErpSettlement(
        erp_id=("W" if write_off else "R") + _text(row, f, "FID"),
        kind="write_off" if write_off else "receipt",
        bill_number=_text(row, f, "FSRCBILLNO"),
        amount=_money(row, f, "FAMOUNTFOR" if write_off else "FREALRECAMOUNTFOR"),
        occurred_on=_day(row, f, "FDATE"),
        modified_at=_modified(row, f),
    )


def invoice_from_row(row: Sequence[Any], *, special: bool) -> ErpInvoice:
    f = INVOICE_FIELDS
    return ErpInvoice(
        erp_id=_text(row, f, "FID"),
        number=_text(row, f, "FBillNo"),
        kind="special" if special else "ordinary",
        bill_number=_text(row, f, "FSRCBILLNO"),
        amount=_money(row, f, "FALLAMOUNTFOR"),
        issued_on=_day(row, f, "FDATE"),
        modified_at=_modified(row, f),
    )
