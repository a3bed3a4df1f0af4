"""A contract's customer meets the lead customers of its company (issue 20, the demo's #31 case):
contract intake matches a new customer through the same index as the leads, and the contract ends on
the customer the leads belong to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.models import Contract, Customer, Lead
from services.finance.intake import sign_contract
from services.routing import process_new_leads
from store.engine import session_scope
from tests.routing.conftest import T0, add_leads

from .conftest import contract


def test_the_contract_joins_the_customer_its_leads_belong_to(store: Engine) -> None:
    leads = add_leads(store, {"company": "智联医械(杭州)有限公司", "address": "浙江省杭州市西湖区文三路90号",
                              "phone": "+8613900003001"})  # fmt: skip
    process_new_leads(store, leads, clock=lambda: T0)
    result = sign_contract(
        store, contract("HT-M-1", customer={"name": "杭州智联医疗器械有限公司"}), actor="api:t"
    )
    with session_scope(store) as s:
        lead_customer = s.get_one(Lead, leads[0]).customer_id
        signed = s.scalars(select(Contract).where(Contract.id == result.contract_id)).one()
        made = s.scalars(select(Customer).where(Customer.name == "杭州智联医疗器械有限公司")).one()
    assert signed.customer_id == lead_customer  # the golden customer of the company's leads
    assert made.merged_into_id == lead_customer


def test_an_erp_customer_pulled_in_meets_the_lead_customers_of_its_company(store: Engine) -> None:
    """The ERP's record of the company (registered name, its switchboard) merges with the customer
    the leads made; a company the leads never named stays a customer of its own."""
    from mapping.erp.records import ErpCustomer
    from services.finance.customers import apply_customers

    leads = add_leads(store, {"company": "智联医械(杭州)有限公司", "address": "浙江省杭州市西湖区文三路90号",
                              "phone": "+8613900003002"})  # fmt: skip
    process_new_leads(store, leads, clock=lambda: T0)
    pulled = [
        ErpCustomer("K-1", "CUST0001", "杭州智联医疗器械有限公司", address="杭州市西湖区文三路90号"),
        ErpCustomer("K-2", "CUST0002", "宁波海曙精工有限公司", address="宁波市海曙区中山西路1号"),
    ]
    with session_scope(store) as s:
        assert apply_customers(s, "kingdee", pulled) == 2
    with session_scope(store) as s:
        lead_customer = s.get_one(Lead, leads[0]).customer_id
        zhilian = s.scalars(select(Customer).where(Customer.name == "杭州智联医疗器械有限公司")).one()
        other = s.scalars(select(Customer).where(Customer.name == "宁波海曙精工有限公司")).one()
    assert zhilian.merged_into_id == lead_customer
    assert other.merged_into_id is None
