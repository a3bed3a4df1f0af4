"""ERP customers pulled into the hub incrementally, and the ERP code mapping files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.kingdee import KingdeeGateway
from connectors.sandbox.kingdee import sandbox_settings
from core.errors import ConfigError, MappingError
from core.models import Customer, ExternalRef
from mapping.erp.codes import load_erp_codes
from services.finance.customers import pull_customers
from store.engine import session_scope

from .conftest import Erp

USCC = "91330106MA2GL8RM01"


def add_customer(erp: Erp, ident: int, number: str, name: str, modified: str, uscc: str = "") -> None:
    erp.state.add(
        "kingdee",
        "BD_Customer",
        {"FCUSTID": ident, "FNumber": number, "FName": name, "FSOCIALCRECODE": uscc, "FModifyDate": modified},
    )


def hub_customers(engine: Engine) -> dict[str, tuple[str, str | None]]:
    with session_scope(engine) as s:
        refs = {r.entity_id: r.external_number for r in s.scalars(select(ExternalRef))}
        return {str(refs.get(c.id)): (c.name, c.uscc) for c in s.scalars(select(Customer))}


def test_erp_customers_come_in_by_modification_time_and_link_by_uscc(store: Engine, erp: Erp) -> None:
    with session_scope(store) as s:
        s.add(Customer(name="杭州智联医疗器械有限公司", uscc=USCC))
    add_customer(erp, 501, "C001", "杭州智联医疗器械股份有限公司", "2026-11-01T08:00:00", USCC)
    add_customer(erp, 502, "C002", "宁波海曙精工有限公司", "2026-11-01T08:00:00")
    add_customer(erp, 503, "C003", "苏州康达医疗科技有限公司", "2026-11-02T09:30:00", "not-a-valid-code")
    gateway = KingdeeGateway(sandbox_settings(erp.base_url, query_limit=2), load_erp_codes("kingdee"))
    try:
        assert pull_customers(store, gateway) == 3
        assert hub_customers(store) == {
            "C001": ("杭州智联医疗器械股份有限公司", USCC),  # linked to the hub's customer, name from the ERP
            "C002": ("宁波海曙精工有限公司", None),
            "C003": ("苏州康达医疗科技有限公司", None),
        }
        assert pull_customers(store, gateway) == 0  # closed bound, boundary ties skipped by id
        with erp.state.lock:
            row = erp.state.find("kingdee", "BD_Customer", "FCUSTID", 502)
            assert row is not None
            row.update({"FName": "宁波海曙精工集团有限公司", "FModifyDate": "2026-11-03T10:00:00"})
        assert pull_customers(store, gateway) == 1
    finally:
        gateway.close()
    assert hub_customers(store)["C002"] == ("宁波海曙精工集团有限公司", None)
    with session_scope(store) as s:
        assert len(s.scalars(select(Customer)).all()) == 3


def test_mapping_files_give_codes_and_refuse_unknown_values(tmp_path: Path) -> None:
    codes = load_erp_codes("kingdee")
    assert (codes.currency("usd"), codes.tax_code(Decimal("0.130")), codes.department("nobody")) == (
        "PRE007",
        "SL02_SYS",
        "BM000001",
    )
    assert codes.customer_number_for(42) == "SH000042" and codes.bill_key("HT-9", 3, "HT-9#3") == "HT-9-03"
    with pytest.raises(MappingError, match=r"currency 'XAU' has no ERP code; add it under \[currency\]"):
        codes.currency("XAU")
    (tmp_path / "kingdee.toml").write_text(
        '[numbering]\nkey_field = "remark"\n[department]\ndefault = "D9"\n[department.by_owner]\n"li.si" = "D2"\n'
        '[currency]\nCNY = "PRE001"\n[tax_rate]\n"0.06" = "T6"\n',
        encoding="utf-8",
    )
    tenant = load_erp_codes("kingdee", tmp_path)
    assert tenant.bill_key("HT-9", 3, "HT-9#3") == "SyncHub:HT-9#3"
    assert (tenant.department("li.si"), tenant.department(None), tenant.tax_code(Decimal("0.06"))) == (
        "D2",
        "D9",
        "T6",
    )
    (tmp_path / "yonyou.toml").write_text('[numbering]\nkey_field = "both"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="key_field must be bill_no or remark"):
        load_erp_codes("yonyou", tmp_path)
