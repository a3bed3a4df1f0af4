"""The search box (``q``) of the Audit and Receivables pages, over the seeded hub (``tests.web.seed``):
customers 杭州智联医疗器械有限公司 (golden), 智联医械(杭州) (merged into it), 苏州智联医疗器械 (another
company), all with phone ``PHONE``; ten leads of the golden; contracts HT-2026-001 and -002."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import ClientFor, Site
from tests.web.seed import PHONE
from tests.web.visible import ALLOWED, ascii_words


def _entries(client: Any, q: str) -> dict[str, Any]:
    answer = client.get("/api/audit/entries", params={"q": q, "limit": 500})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _matches_block(html: str) -> str:
    start = html.index('<div class="matches"')
    return html[start : html.index("</div>", start) + len("</div>")]


def test_audit_by_contract_number_lists_the_contract_and_its_installments(
    site: Site, client_for: ClientFor
) -> None:
    li = client_for("li")
    page = _entries(li, "ht-2026-001")
    first = page["matches"][0]
    assert (first["key"], first["why"]) == ("contract:1", "contract_number")
    touched = {(e["entity_type"], e["entity_id"]) for e in page["entries"]}
    assert ("contract", "1") in touched
    assert {kind for kind, _ in touched} == {"contract", "receivable_installment"}
    html = li.get("/audit", params={"q": "HT-2026-001"}).text
    assert 'data-match="contract:1" data-why="contract_number"' in html and "合同号相同" in html


def test_audit_by_company_name_reaches_the_customer_its_leads_and_contracts(
    site: Site, client_for: ClientFor
) -> None:
    li = client_for("li")
    page = _entries(li, "智联")  # the trade name, as people say it
    keys = [m["key"] for m in page["matches"]]
    assert keys[0] == f"customer:{site.seeded.golden}"
    assert f"customer:{site.seeded.member}" in keys
    touched = {(e["entity_type"], e["entity_id"]) for e in page["entries"]}
    assert {
        ("contract", "1"),
        ("contract", "2"),
        ("lead", "1"),
        ("customer", str(site.seeded.golden)),
    } <= touched
    assert not any(kind in ("source", "outbox_message", "quarantined_record") for kind, _ in touched)
    typo = _entries(li, "杭州志联医疗器械")  # a homophone typo
    assert typo["matches"][0]["key"] == f"customer:{site.seeded.golden}"
    html = li.get("/audit", params={"q": "智联"}).text
    assert "字号相同" in html and f'href="/audit/history/customer/{site.seeded.golden}"' in html
    assert ascii_words(_matches_block(html), ALLOWED) == []  # kinds and reasons in Chinese


def test_audit_by_phone_in_any_format_never_shows_the_number(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    spaced = f"+86 {PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}"
    for typed in (spaced, PHONE):
        page = _entries(li, typed)
        whys = {m["key"]: m["why"] for m in page["matches"]}
        assert whys[f"customer:{site.seeded.golden}"] == "phone" and whys["lead:1"] == "phone"
        assert {m["detail"] for m in page["matches"] if not m["merged_into"]} == {"+86138****5678"}
        html = li.get("/audit", params={"q": typed}).text
        echoes = re.compile(rf'value="{re.escape(typed)}"|[?&]q=[^"&]*')  # the box and links echo the query
        assert PHONE not in echoes.sub("", html)
        assert "电话相同" in html


def test_audit_by_lead_id_and_by_entity_key(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    page = _entries(li, "#3")
    assert [(m["key"], m["why"]) for m in page["matches"]] == [("lead:3", "lead_id")]
    assert {(e["entity_type"], e["entity_id"]) for e in page["entries"]} == {("lead", "3")}
    key = _entries(li, f"customer:{site.seeded.other}")
    assert [m["key"] for m in key["matches"]] == [f"customer:{site.seeded.other}"]


def test_audit_search_finding_nothing_lists_nothing(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    page = _entries(li, "北京字节跳动科技有限公司")
    assert page["matches"] == [] and page["entries"] == []
    html = li.get("/audit", params={"q": "北京字节跳动科技有限公司"}).text
    assert 'data-testid="no-match"' in html


def test_receivables_rows_of_the_matched_customers_and_contracts(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")

    def numbers(q: str) -> list[str]:
        answer = zhao.get("/api/receivables", params={"q": q})
        assert answer.status_code == 200, answer.text
        return sorted(c["number"] for c in answer.json()["contracts"])

    assert numbers("HT-2026-002") == ["HT-2026-002"]
    assert numbers("智联医械(杭州)") == ["HT-2026-001", "HT-2026-002"]  # the merged spelling
    assert numbers("杭州志联医疗") == ["HT-2026-001", "HT-2026-002"]  # a typo
    assert numbers(f"+86 {PHONE}") == ["HT-2026-001", "HT-2026-002"]
    assert numbers("北京字节跳动") == []
    by_phone = zhao.get("/api/receivables", params={"q": PHONE}).json()["matches"]
    assert {m["kind"] for m in by_phone} == {"customer"}  # the leads with that phone name no receivable
    html = zhao.get("/receivables", params={"q": "智联"}).text
    assert ascii_words(_matches_block(html), ALLOWED) == []
    assert 'data-testid="matches"' in html and 'data-contract="HT-2026-001"' in html
    assert "/audit/history/" not in html  # finance has no ledger pages to link to
    assert 'data-testid="no-match"' in zhao.get("/receivables", params={"q": "北京字节跳动"}).text
