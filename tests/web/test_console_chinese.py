"""The console speaks Chinese (issue 22): a sweep of every page as every role finds no ASCII-only word
outside the allow-list and the ids of the seeded data; the catalogue has a label for every code the
models declare; dates are typed and shown as yyyy-mm-dd."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Customer, Lead, SyncCursor
from core.models.base import Audited, Base
from hub.web.context import PAGES
from hub.web.labels import CODED, ENTITIES, FIELDS, LABELS, entity, field, label, reason, value
from services.routing.config import load_routing
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of
from tests.web.seed import USERS
from tests.web.visible import ALLOWED, ascii_words

SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def _ids(site: Site) -> set[str]:
    """Names that are identifiers, not words: user and person keys, team keys, stream and account
    names of cursors, lead owners (the seed's salesperson ``zhangsan``), display names."""
    territories = load_routing().territories
    ids = set(USERS) | {name.upper() for name in USERS} | set(territories.people) | set(territories.teams)
    with session_scope(site.engine) as s:
        for cursor in s.scalars(select(SyncCursor)):
            ids |= {cursor.stream, cursor.account or ""}
        ids |= {str(o) for o in s.scalars(select(Lead.owner).where(Lead.owner.is_not(None)))}
    return ids


def _pages(site: Site) -> list[str]:
    seeded = site.seeded
    return [
        "/",
        *(f"/{p.key}" for p in PAGES),
        f"/review/candidates/{seeded.candidate}",
        f"/audit/history/customer/{seeded.golden}",
        "/audit/history/lead/1",
        f"/audit/history/quarantined_record/{seeded.quarantined}",
        f"/audit/history/outbox_message/{seeded.dead_message}",
        "/audit?limit=500",
        "/audit?q=HT-2026-001",  # a search by what people know (contract number, company)
        "/receivables?q=智联",
        "/people?days=0",
        "/no-such-page",
    ]


def test_no_ascii_only_word_on_any_page_for_any_role(site: Site, client_for: ClientFor) -> None:
    allowed = ALLOWED | _ids(site) | {"CNY"}
    found: dict[str, list[str]] = {}
    for name in USERS:
        client = client_for(name)
        for path in _pages(site):
            answer = client.get(path)
            assert answer.status_code in (200, 403, 404), (name, path, answer.status_code)
            words = ascii_words(answer.text, allowed)
            if words:
                found[f"{name} {path}"] = sorted(set(words))
    root = client_for("root")  # the confirmation pages of the heavy actions
    token = csrf_of(root.get("/review").text)
    for path, extra in (
        (f"/review/candidates/{site.seeded.candidate}/approve", {}),
        (f"/review/customers/{site.seeded.member}/unmerge", {}),
        ("/receivables/dead-letters/retry-all", {}),
        ("/leads/quarantine/replay", {"all": "1"}),
    ):
        answer = root.post(path, data={"csrf_token": token, **extra})
        assert answer.status_code == 200 and 'data-testid="confirm-page"' in answer.text
        if words := ascii_words(answer.text, allowed):
            found[f"root POST {path}"] = sorted(set(words))
    login = client_for().get("/login")
    if words := ascii_words(login.text, allowed):
        found["anonymous /login"] = sorted(set(words))
    assert found == {}


def test_the_sweep_finds_english_where_there_is_some() -> None:
    page = '<p title="mapping">隔离 done 6 · <b>mapping</b> HT-2026-001 user:wang #3 SyncHub A</p><code>x y</code>'
    assert ascii_words(page) == ["done", "mapping"]


def _declared_codes() -> dict[tuple[str, str], list[str]]:
    """(entity type, column) -> the codes its ``doc`` lists ("active | merged")."""
    out = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Audited):
            continue
        kind = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        for column in cls.__table__.columns:
            if column.doc and " | " in column.doc:
                codes = [(c.split("(")[0].split() or [""])[0] for c in column.doc.split("|")]
                out[(kind, column.name)] = [c for c in codes if c and c != "..."]
    return out


ROOT = Path(__file__).resolve().parents[2]
_EVENT = re.compile(r'record_event\(\s*\w+,\s*"([a-z_]+)"')


def _recorded_actions() -> set[str]:
    """Every action the code records as a ledger event (``record_event(session, "merge", ...)``)."""
    found: set[str] = set()
    for package in ("services", "dedupe", "audit", "flows", "hub", "connectors"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(_EVENT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_declared_code_field_and_entity_has_a_label() -> None:
    declared = _declared_codes()
    assert len(declared) >= 15
    missing = [f"{k[0]}.{k[1]}" for k in declared if k not in CODED]
    missing += [
        f"{k[0]}.{k[1]}={code}" for k, codes in declared.items() if k in CODED for code in codes
        if code not in LABELS[CODED[k]]
    ]  # fmt: skip
    audited = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, Audited)]
    missing += [f"field {c.name}" for cls in audited for c in cls.__table__.columns if c.name not in FIELDS]
    kinds = {re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower() for cls in audited}
    missing += [f"entity {k}" for k in sorted(kinds - set(ENTITIES))]
    actions = {"insert", "update", "delete"} | _recorded_actions()
    assert {"merge", "escalate", "handover"} <= actions
    missing += [f"action {a}" for a in sorted(actions - set(LABELS["action"]))]
    from connectors.registry import source_connector_names

    kinds_of_sources = {*source_connector_names(), "excel", "web_form"}
    missing += [f"source kind {k}" for k in sorted(kinds_of_sources - set(LABELS["source_kind"]))]
    assert missing == []


def test_unknown_codes_fall_back_to_the_raw_value() -> None:
    assert label("teleported", "stage") == "teleported" and label("won", "stage") == "赢单"
    assert label("done", "outbox") == "已完成" and label(None, "outbox") == "—"
    assert entity("spaceship") == "spaceship" and entity("customer") == "客户"
    assert field("warp_factor") == "warp_factor" and field("sla_due_at") == "首次联系截止时间"
    assert (
        value("active", "customer", "status") == "有效" and value("active", "spaceship", "status") == "active"
    )
    assert reason("the moon is in the wrong phase") == "the moon is in the wrong phase"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("no phone, email, company or USCC to identify the lead: phone: phone is empty",
         "无法识别线索：电话、邮箱、公司、统一社会信用代码都没有可用的值"),
        ("phone is not a number (too short)", "电话无效"),
        ("budget '很多' is not an amount or range of yuan", "预算无效"),
        ("kingdee: FDate is not a date: 'x'", "ERP 返回的数据格式不对"),
        ("fatal: ErpRejected: customer contact 138****5678 rejected by the ERP", "ERP 拒绝，且不可重试"),
        ("gave up after 8 attempts: ReadTimeout", "重试 8 次后放弃"),
        ("no identifying field agrees", "名称、电话、邮箱、公司没有一项一致，需人工确认"),
        ("would join clusters of another industry", "合并会把不同行业的客户簇连在一起"),
        ("first contact overdue", "首次联系超时"),
        ("li left: moved to chen", "li 离职，已移交给 chen"),
    ],
)  # fmt: skip
def test_reasons_the_services_write_read_in_chinese(message: str, expected: str) -> None:
    assert reason(message) == expected


@SQLITE_ONLY
def test_dates_are_typed_and_shown_as_yyyy_mm_dd(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    page = li.get("/audit").text
    assert 'type="date"' not in page  # the browser's own picker shows mm/dd/yyyy in some locales
    day_inputs = re.findall(r'<input name="(since|until)"[^>]*>', page)
    assert len(day_inputs) == 2 and all(
        r'pattern="\d{4}-\d{2}-\d{2}"' in tag
        for tag in re.findall(r'<input name="(?:since|until)"[^>]*>', page)
    )
    assert li.get("/audit", params={"since": "2026-01-01", "until": "2999-12-31"}).status_code == 200
    assert li.get("/audit", params={"since": "12/07/2026"}).status_code == 400
    shown = li.get(f"/audit/history/customer/{site.seeded.golden}").text
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", shown) and not re.search(r"\d\d/\d\d/\d{4}", shown)
    with session_scope(site.engine) as s:
        assert s.get_one(Customer, site.seeded.golden).name in shown
