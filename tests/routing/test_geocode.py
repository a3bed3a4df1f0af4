"""Geocoding leads: only ambiguous addresses go to Amap, in batches; cache; quota defers and resumes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from connectors.amap import AmapClient
from connectors.sandbox.notify_state import NotifyState
from core.models import GeocodeCache, Lead
from services.intake.geocode import geocode_leads, resume_awaiting
from store.engine import session_scope
from tests.routing.conftest import add_leads

CLEAR = ["浙江省杭州市萧山区市心北路99号", "北京市朝阳区建国路88号", "广州市天河区天河路385号", "深圳南山科技园",
         "南京鼓楼中山北路", "上海浦东张江", "成都市武侯区人民南路", "济南市中区经十路"]  # fmt: skip
AMBIGUOUS = ["朝阳区望京SOHO", "鼓楼区中山路321号", "杭州市文一西路969号", "西湖区文三路", "龙华区人民路",
             "白云区机场路", "和平区南京路", "长安区建设路", "城关区滨河路", "市中区万达广场",
             "通州区新华大街", "苏州市工业园区星湖街"]  # fmt: skip


def _leads(engine: Engine, ids: list[int]) -> list[Lead]:
    with session_scope(engine) as s:
        return list(s.scalars(select(Lead).where(Lead.id.in_(ids)).order_by(Lead.id)).all())


def test_only_ambiguous_addresses_go_to_amap_in_batches(
    store: Engine, amap: AmapClient, sim: NotifyState
) -> None:
    ids = add_leads(store, *({"address": a} for a in CLEAR + AMBIGUOUS))
    with session_scope(store) as s:
        leads = list(s.scalars(select(Lead).where(Lead.id.in_(ids))).all())
        report = geocode_leads(s, leads, amap)
    assert report.offline == len(CLEAR)
    assert report.sent == len(AMBIGUOUS) == sim.stats["amap"]["addresses"]
    # grouped by the city the offline parse knew: 10 with no city (one full batch) ...
    assert report.calls == sim.stats["amap"]["batches"] <= 4
    done = {lead.address: lead for lead in _leads(store, ids)}
    assert done["浙江省杭州市萧山区市心北路99号"].adcode == "330109"
    assert done["杭州市文一西路969号"].adcode.startswith("3301")  # Amap narrowed to Hangzhou
    assert {lead.geocode_status for lead in done.values()} == {"resolved"}


def test_repeats_hit_the_cache(store: Engine, amap: AmapClient, sim: NotifyState) -> None:
    first = add_leads(store, *({"address": a} for a in AMBIGUOUS))
    with session_scope(store) as s:
        geocode_leads(s, _leads_in(s, first), amap)
    calls = sim.stats["amap"]["batches"]
    again = add_leads(store, *({"address": a} for a in AMBIGUOUS))
    with session_scope(store) as s:
        report = geocode_leads(s, _leads_in(s, again), amap)
    assert report.cache_hits == len(AMBIGUOUS) and report.calls == 0
    assert sim.stats["amap"]["batches"] == calls
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(GeocodeCache)) == len(AMBIGUOUS)


def _leads_in(session, ids: list[int]) -> list[Lead]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(Lead).where(Lead.id.in_(ids))).all())


def test_quota_exhaustion_defers_without_loss_and_resumes(
    store: Engine, amap: AmapClient, sim: NotifyState
) -> None:
    sim.faults["amap"].daily_quota = 10
    ids = add_leads(store, *({"address": a} for a in AMBIGUOUS + CLEAR))
    with session_scope(store) as s:
        report = geocode_leads(s, _leads_in(s, ids), amap)
    assert report.awaiting == len(AMBIGUOUS) - 10  # one full batch went through, the rest wait
    assert report.resume_at is not None and report.resume_at > datetime.now(UTC)
    statuses = {lead.geocode_status for lead in _leads(store, ids)}
    assert "awaiting_geocode" in statuses
    assert len(_leads(store, ids)) == len(ids)  # nothing dropped
    # next day: the quota renews and the gate opens
    sim.faults["amap"].daily_quota = None
    amap.gate.close(datetime(2000, 1, 1, tzinfo=UTC))
    with session_scope(store) as s:
        resumed = resume_awaiting(s, amap)
    assert resumed.leads == report.awaiting and resumed.awaiting == 0
    assert {lead.geocode_status for lead in _leads(store, ids)} == {"resolved"}


def test_city_hint_and_landline_narrow_offline(store: Engine, amap: AmapClient, sim: NotifyState) -> None:
    ids = add_leads(
        store,
        {"address": "朝阳区望京SOHO", "city_hint": "北京"},
        {"address": "朝阳区红旗街", "phone": "+8643185551234", "phone_kind": "landline"},
    )
    with session_scope(store) as s:
        report = geocode_leads(s, _leads_in(s, ids), amap)
    assert report.offline == 2 and sim.stats["amap"]["requests"] == 0
    assert [lead.adcode for lead in _leads(store, ids)] == ["110105", "220104"]
