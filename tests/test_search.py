"""Finding records by what people know (``services.search``), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from audit.context import audit_context
from core.models import Contact, Contract, Customer, Lead, ReceivableInstallment, Source
from mapping import company_core
from services.search import find, receivable_scope, related_keys
from store.engine import session_scope

MOBILE = "+8613800138000"


@dataclass(frozen=True)
class Known:
    zhilian: int  # 杭州智联医疗器械有限公司, phone MOBILE
    spelling: int  # 智联医械(杭州)有限公司, merged into zhilian
    huaxin: int  # 上海华新纺织有限公司, a contact with a landline
    person: int  # a customer whose "name" is a person's (no company)
    lead: int  # MOBILE, linked to zhilian
    other_lead: int
    contract: int  # HT-2026-001 of zhilian
    installment: int


def _customer(name: str | None, shown: str, **values: object) -> Customer:
    return Customer(name=shown, name_norm=company_core(name).core if name else None, **values)


@pytest.fixture
def known(store: Engine) -> Known:
    with audit_context(actor="user:test", reason="search fixture"), session_scope(store) as s:
        zhilian = _customer("杭州智联医疗器械有限公司", "杭州智联医疗器械有限公司", phone=MOBILE)
        huaxin = _customer("上海华新纺织有限公司", "上海华新纺织有限公司", phone="+8613900139000")
        person = _customer(None, "王小明", phone="+8613700137000")
        s.add_all([zhilian, huaxin, person])
        s.flush()
        spelling = _customer("智联医械(杭州)有限公司", "智联医械(杭州)有限公司", merged_into_id=zhilian.id)
        spelling.status = "merged"
        s.add(spelling)
        s.add(Contact(customer_id=huaxin.id, name="李四", phone="+8657188881234"))
        source = Source(name="web", kind="web_form")
        s.add(source)
        s.flush()
        lead = Lead(
            source_id=source.id, external_id="a", phone=MOBILE, company="智联医械", customer_id=zhilian.id
        )
        other = Lead(source_id=source.id, external_id="b", phone="+8613900139000", company="华新纺织")
        s.add_all([lead, other])
        s.flush()
        contract = Contract(
            number="HT-2026-001",
            customer_id=zhilian.id,
            lead_id=lead.id,
            amount=Decimal("1000"),
            signed_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        s.add(contract)
        s.flush()
        installment = ReceivableInstallment(
            contract_id=contract.id,
            installment_no=1,
            business_key="HT-2026-001-1",
            amount=Decimal("1000"),
            due_date=date(2026, 4, 1),
        )
        s.add(installment)
        s.flush()
        return Known(
            zhilian.id, spelling.id, huaxin.id, person.id, lead.id, other.id, contract.id, installment.id
        )


def _find(store: Engine, text: str) -> list[tuple[str, str, str]]:
    with session_scope(store) as s:
        return [(h.key, h.why, h.label) for h in find(s, text)]


def _keys(store: Engine, text: str) -> list[str]:
    return [key for key, _, _ in _find(store, text)]


def test_contract_number_equal_or_part(store: Engine, known: Known) -> None:
    first = _find(store, "ht-2026-001")[0]
    assert first == (
        f"contract:{known.contract}",
        "contract_number",
        "HT-2026-001 · 杭州智联医疗器械有限公司",
    )
    assert _find(store, "2026-00")[0][:2] == (f"contract:{known.contract}", "contract_number_part")
    assert f"contract:{known.contract}" not in _keys(store, "HT-2027")


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("杭州智联医疗器械有限公司", "name"),
        ("智联", "trade_name"),  # the trade name people say
        ("杭州志联医疗器械", "homophone"),  # a typo that sounds the same
        ("智联医疗器戒", "trade_name"),  # a typo in the industry word
        ("智连医疗", "similar_name"),
    ],
)
def test_company_name_finds_the_registered_customer(
    store: Engine, known: Known, typed: str, why: str
) -> None:
    found = _find(store, typed)
    assert found[0] == (f"customer:{known.zhilian}", why, "杭州智联医疗器械有限公司")
    assert f"customer:{known.spelling}" in [key for key, _, _ in found]  # the merged spelling too
    assert f"customer:{known.huaxin}" not in [key for key, _, _ in found]


def test_an_unrelated_company_or_a_person_is_not_found(store: Engine, known: Known) -> None:
    assert _find(store, "北京字节跳动科技有限公司") == []
    assert _keys(store, "华新") == [f"customer:{known.huaxin}"]
    assert _find(store, "王小明") == []  # a person standing in for a company is no company name


def test_part_of_the_name_as_written(store: Engine, known: Known) -> None:
    found = _find(store, "杭州")  # a place: no company core of its own, but in the registered names
    assert {(key, why) for key, why, _ in found} == {
        (f"customer:{known.zhilian}", "name_part"),
        (f"customer:{known.spelling}", "name_part"),
    }


@pytest.mark.parametrize(
    "typed", ["+86 138-0013-8000", "13800138000", "138 0013 8000", "８６１３８００１３８０００"]
)
def test_phone_in_any_format_finds_lead_and_customer_masked(store: Engine, known: Known, typed: str) -> None:
    with session_scope(store) as s:
        hits = find(s, typed)
    assert {h.key: h.why for h in hits} == {
        f"lead:{known.lead}": "phone",
        f"customer:{known.zhilian}": "phone",
    }
    assert all(h.detail == "+86138****8000" for h in hits)
    assert not any("13800138000" in f"{h.label}{h.detail}" for h in hits)


def test_landline_of_a_contact_finds_its_customer(store: Engine, known: Known) -> None:
    assert _find(store, "0571-8888 1234") == [
        (f"customer:{known.huaxin}", "contact_phone", "上海华新纺织有限公司")
    ]


def test_lead_id_in_the_ways_people_write_it(store: Engine, known: Known) -> None:
    for typed in (f"#{known.lead}", f"lead {known.lead}", f"线索 {known.lead}", f"LEAD#{known.lead}"):
        assert _find(store, typed) == [(f"lead:{known.lead}", "lead_id", f"#{known.lead} · 智联医械")]
    with session_scope(store) as s:
        bare = find(s, str(known.other_lead))
    assert [(h.key, h.why) for h in bare] == [(f"lead:{known.other_lead}", "lead_id_bare")]
    assert bare[0].score < 100
    assert _find(store, "#99999") == []


def test_entity_key_as_before(store: Engine, known: Known) -> None:
    assert _find(store, f"customer:{known.person}") == [(f"customer:{known.person}", "entity_key", "王**")]
    assert _find(store, "outbox_message:77") == [("outbox_message:77", "entity_key", "outbox_message:77")]
    assert _keys(store, f"Customer: {known.huaxin}") == [f"customer:{known.huaxin}"]
    assert _find(store, "no_such_type:1") == []


def test_related_records_and_receivable_scope(store: Engine, known: Known) -> None:
    with session_scope(store) as s:
        hits = find(s, "智联医械")
        keys = related_keys(s, hits)
        contracts, customers = receivable_scope(s, hits)
        lead_keys = related_keys(s, find(s, f"#{known.lead}"))
    assert {
        ("customer", str(known.zhilian)),
        ("customer", str(known.spelling)),
        ("contract", str(known.contract)),
        ("lead", str(known.lead)),
        ("receivable_installment", str(known.installment)),
    } <= set(keys)
    assert ("customer", str(known.huaxin)) not in keys and ("lead", str(known.other_lead)) not in keys
    assert contracts == set() and customers == {known.zhilian, known.spelling}
    assert ("contract", str(known.contract)) in lead_keys  # a lead's contract


def test_nothing_typed_or_nothing_known(store: Engine, known: Known) -> None:
    assert _find(store, "   ") == []
    assert _find(store, "zzqx") == []


@pytest.fixture
def cli(known: Known, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Known:
    from core.settings import get_settings

    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    return known


def test_audit_log_find_lists_matches_and_their_history(cli: Known, wide_console: None) -> None:
    from typer.testing import CliRunner

    from hub.cli.main import app

    runner = CliRunner()
    by_phone = runner.invoke(app, ["audit", "log", "--find", "+86 138-0013-8000", "--json"])
    assert by_phone.exit_code == 0, by_phone.output
    found = json.loads(by_phone.output)
    assert {m["key"] for m in found["matches"]} == {f"lead:{cli.lead}", f"customer:{cli.zhilian}"}
    records = {e["record"] for e in found["entries"]}
    assert {f"contract:{cli.contract}", f"receivable_installment:{cli.installment}"} <= records
    assert f"customer:{cli.huaxin}" not in records
    assert "13800138000" not in by_phone.output
    seqs = [e["seq"] for e in found["entries"]]
    assert seqs == sorted(seqs, reverse=True)
    text = runner.invoke(app, ["audit", "log", "--find", "杭州志联医疗器械"])
    assert text.exit_code == 0, text.output
    assert "name sounds the same" in text.output and f"contract:{cli.contract}" in text.output
    nothing = runner.invoke(app, ["audit", "log", "--find", "北京字节跳动科技有限公司"])
    assert nothing.exit_code != 0 and "nothing matches" in nothing.output
    both = runner.invoke(app, ["audit", "log", "--find", "x", "--entity", "customer:1"])
    assert both.exit_code != 0 and "one of the two" in both.output


def test_contract_receivables_find(cli: Known, wide_console: None) -> None:
    from typer.testing import CliRunner

    from hub.cli.main import app

    runner = CliRunner()
    for typed, numbers in (("智联", ["HT-2026-001"]), ("13800138000", ["HT-2026-001"]), ("华新", [])):
        result = runner.invoke(app, ["contract", "receivables", "--find", typed, "--json"])
        assert result.exit_code == 0, result.output
        assert [c["number"] for c in json.loads(result.output)["contracts"]] == numbers
    shown = runner.invoke(app, ["contract", "receivables", "--find", "智联"])
    assert shown.exit_code == 0 and "trade name" in shown.output and "HT-2026-001" in shown.output
