"""ERP code mappings (TOML, one file per ERP): customer numbering, organisations and departments,
currencies, bill types, tax rates and the line item. Pure lookups; unknown values raise
:class:`~core.errors.MappingError` naming the file section to extend."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from core.errors import ConfigError, MappingError
from mapping._data import load_packaged_toml, load_toml_file

__all__ = ["ErpCodes", "load_erp_codes", "parse_codes"]


@dataclass(frozen=True)
class ErpCodes:
    system: str
    customer_number: str
    bill_number: str
    key_field: Literal["bill_no", "remark"]
    remark: str
    organisation: dict[str, str]
    departments: dict[str, str]
    default_department: str
    salesmen: dict[str, str]
    currencies: dict[str, str]
    bill_types: dict[str, str]
    tax_rates: dict[Decimal, str]
    item_kind: Literal["expense", "material"]
    item_number: str
    item_unit: str

    def customer_number_for(self, customer_id: int) -> str:
        return self.customer_number.format(customer_id=customer_id)

    def bill_key(self, contract: str, installment: int, business_key: str) -> str:
        """What the ERP holds as the business key: the bill number, or the remark text."""
        number = self.bill_number.format(contract=contract, installment=installment)
        if self.key_field == "remark":
            return self.remark.format(business_key=business_key, bill_number=number)
        return number

    def currency(self, iso: str) -> str:
        try:
            return self.currencies[iso.upper()]
        except KeyError:
            raise MappingError(
                f"{self.system}: currency {iso!r} has no ERP code; add it under [currency]", "currency"
            ) from None

    def tax_code(self, rate: Decimal) -> str:
        try:
            return self.tax_rates[rate.normalize()]
        except KeyError:
            raise MappingError(
                f"{self.system}: tax rate {rate} has no ERP code; add it under [tax_rate]", "tax_rate"
            ) from None

    def department(self, owner: str | None) -> str:
        return self.departments.get(owner or "", self.default_department)

    def salesman(self, owner: str | None) -> str | None:
        return self.salesmen.get(owner or "")


def _section(data: dict[str, Any], name: str, source: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: [{name}] must be a table")
    return value


def parse_codes(system: str, data: dict[str, Any], source: str) -> ErpCodes:
    """Validate a parsed mapping file; ConfigError names the file and the bad entry."""
    numbering = _section(data, "numbering", source)
    department = _section(data, "department", source)
    item = _section(data, "item", source)
    salesman = _section(data, "salesman", source)
    key_field = numbering.get("key_field", "bill_no")
    if key_field not in ("bill_no", "remark"):
        raise ConfigError(f"{source}: numbering.key_field must be bill_no or remark, not {key_field!r}")
    if item.get("kind", "expense") not in ("expense", "material"):
        raise ConfigError(f"{source}: item.kind must be expense or material")
    try:
        rates = {Decimal(k).normalize(): str(v) for k, v in _section(data, "tax_rate", source).items()}
    except ArithmeticError:
        raise ConfigError(f'{source}: [tax_rate] keys must be decimal rates such as "0.13"') from None
    return ErpCodes(
        system=system,
        customer_number=str(numbering.get("customer", "SH{customer_id:06d}")),
        bill_number=str(numbering.get("bill", "{contract}-{installment:02d}")),
        key_field=key_field,
        remark=str(numbering.get("remark", "SyncHub:{business_key}")),
        organisation={k: str(v) for k, v in _section(data, "organisation", source).items()},
        departments={k: str(v) for k, v in _section(department, "by_owner", source).items()},
        default_department=str(department.get("default", "")),
        salesmen={k: str(v) for k, v in _section(salesman, "by_owner", source).items()},
        currencies={k.upper(): str(v) for k, v in _section(data, "currency", source).items()},
        bill_types={k: str(v) for k, v in _section(data, "bill_type", source).items()},
        tax_rates=rates,
        item_kind=item.get("kind", "expense"),
        item_number=str(item.get("number", "")),
        item_unit=str(item.get("unit", "")),
    )


@lru_cache(maxsize=16)
def load_erp_codes(system: str, folder: Path | None = None) -> ErpCodes:
    """``<folder>/<system>.toml`` when given and present, else the packaged ``mapping/erp`` file."""
    override = folder / f"{system}.toml" if folder is not None else None
    if override is not None and override.is_file():
        return parse_codes(system, load_toml_file(override), str(override))
    return parse_codes(system, load_packaged_toml("erp", f"{system}.toml"), f"mapping/erp/{system}.toml")
