"""The shape of a contract as senders give it (JSON API, spreadsheet rows, CRM events)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["ContractIn", "CustomerIn", "parse_rate"]

MAX_ID = 2**63 - 1  # the store's ids are 64-bit
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
NUMBER = re.compile(r"^[^\s'\"%;\\]{1,40}$")


def parse_rate(value: Any) -> Decimal:
    """``0.13``, ``13``, ``"13%"`` -> ``Decimal("0.13")``."""
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        rate = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a rate; write 0.13 or 13%") from None
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"{value!r} is not a rate; write 0.13 or 13%")
    if percent or rate >= 1:
        rate = rate / 100
    return rate.normalize() if rate else Decimal("0")


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, ge=1, le=MAX_ID, description="Hub customer id; or give name and/or uscc.")
    name: str | None = Field(None, max_length=200)
    uscc: str | None = Field(None, description="Unified social credit code (统一社会信用代码).")
    address: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def _identified(self) -> CustomerIn:
        if self.id is None and not (self.name or "").strip() and not self.uscc:
            raise ValueError("give the customer's id, or its name and/or uscc")
        return self


class ContractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(description="Contract number; the idempotency key and the stem of every bill key.")
    customer: CustomerIn
    amount: Decimal = Field(description="Total including VAT, in the contract currency, yuan with fen.")
    currency: str = Field("CNY", description="ISO 4217 code.")
    tax_rate: Decimal = Field(Decimal("0.13"), description="VAT rate: 0.13, 13 or '13%'.")
    signed_at: datetime | date
    payment_terms: Any = Field(description="See services/finance/terms.py for the accepted forms.")
    owner: str | None = Field(None, max_length=60, description="The salesperson who owns the contract.")
    lead_id: int | None = Field(None, ge=1, le=MAX_ID, description="The hub lead the contract closes.")
    erp: Literal["kingdee", "yonyou"] | None = Field(None, description="Override the default ERP.")

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        value = value.strip()
        if not NUMBER.match(value):
            raise ValueError("1 to 40 characters, no spaces, quotes, % ; or backslash")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("an ISO 4217 code such as CNY")
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if isinstance(value, float):
            return str(value)  # the shortest repr: 0.1 stays 0.1
        return value.replace(",", "").replace("¥", "").strip() if isinstance(value, str) else value

    @field_validator("signed_at")
    @classmethod
    def _signed(cls, value: datetime | date) -> datetime | date:
        day = value.date() if isinstance(value, datetime) else value
        if not EARLIEST <= day <= LATEST:
            raise ValueError(f"{day.isoformat()} is not a plausible signing date")
        return value

    @field_validator("tax_rate", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Decimal:
        return parse_rate(value)
