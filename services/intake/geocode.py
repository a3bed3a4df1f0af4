"""Placing leads on the map: offline first, then the cache, then Amap for what is still ambiguous.

For each lead the address is parsed offline against the division table with the lead's hints (form
city and province, a landline's area code, the source account's city from ``Source.config["city"]``).
Only an address the parse cannot fix to one district goes on: first to ``geocode_cache`` (keyed by
the normalised address and the city that narrows the search), then to the geocoder in batches of up
to 10 addresses per call, grouped by that city. Answers are cached, found or not.

When the geocoder's daily quota is used up (or it still fails after the retry layer's attempts), the
leads still waiting keep ``geocode_status = "awaiting_geocode"`` (with whatever city or province the
offline parse knew) and are picked up by :func:`resume_awaiting` later; nothing is dropped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from connectors.amap.errors import QuotaExhaustedError
from connectors.amap.payloads import GeocodeResult
from connectors.errors import RetriableError
from core.models import GeocodeCache, Lead, Source, utcnow
from mapping.address import AddressHints, AddressParse, parse_address

__all__ = ["GeocodeReport", "Geocoder", "cache_key", "geocode_leads", "hints_for", "resume_awaiting"]

log = logging.getLogger("synchub.intake.geocode")
PENDING = ("pending", "awaiting_geocode")


class Geocoder(Protocol):
    """What the hub needs of a geocoder (``connectors.amap.AmapClient`` is one)."""

    def geocode(self, addresses: Sequence[str], city: str | None = None) -> list[GeocodeResult | None]: ...


@dataclass
class GeocodeReport:
    leads: int = 0
    offline: int = 0  # resolved by the offline parse
    cache_hits: int = 0
    sent: int = 0  # distinct addresses sent to the geocoder
    calls: int = 0  # geocoder requests (batches)
    awaiting: int = 0  # left for the next day by a quota stop
    failed: int = 0  # nothing known at all
    resume_at: datetime | None = None
    awaiting_ids: list[int] = field(default_factory=list)


def cache_key(parsed: AddressParse) -> str:
    return f"{parsed.text}|{parsed.geocoder_city or ''}"[:400]


def hints_for(lead: Lead, source: Source | None) -> AddressHints:
    landline = lead.phone if lead.phone_kind == "landline" else None
    account_city = (
        str(source.config.get("city")) if source is not None and source.config.get("city") else None
    )
    return AddressHints(
        city=lead.city_hint, province=lead.province_hint, phone=landline, account_city=account_city
    )


def _apply(lead: Lead, parsed: AddressParse, found: GeocodeResult | None) -> str:
    adcode = found.adcode if found is not None and found.adcode else parsed.adcode
    lead.adcode = adcode[:6] if adcode else None
    lead.geocode_status = "resolved" if adcode else "failed"
    return lead.geocode_status


def _cached(session: Session, keys: set[str]) -> dict[str, GeocodeResult | None]:
    if not keys:
        return {}
    rows = session.scalars(select(GeocodeCache).where(GeocodeCache.key.in_(sorted(keys)))).all()
    return {
        r.key: GeocodeResult(r.adcode, r.province, r.city, r.district, r.location, r.level)
        if r.adcode
        else None
        for r in rows
    }


def _store(session: Session, entries: list[tuple[str, AddressParse, GeocodeResult | None]]) -> None:
    if not entries:
        return
    rows = [
        {
            "key": key,
            "address": parsed.text[:300],
            "city_hint": (parsed.geocoder_city or None),
            "adcode": found.adcode[:6] if found and found.adcode else None,
            "province": (found.province or None) if found else None,
            "city": (found.city or None) if found else None,
            "district": (found.district or None) if found else None,
            "location": (found.location or None) if found else None,
            "level": (found.level or None) if found else None,
            "fetched_at": utcnow(),
        }
        for key, parsed, found in entries
    ]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(GeocodeCache).on_conflict_do_nothing(index_elements=["key"]), rows)


def geocode_leads(session: Session, leads: Sequence[Lead], geocoder: Geocoder | None) -> GeocodeReport:
    """Set ``adcode`` and ``geocode_status`` on ``leads`` (in the session's transaction)."""
    report = GeocodeReport(leads=len(leads))
    sources: dict[int, Source | None] = {}
    waiting: dict[str, list[tuple[Lead, AddressParse]]] = defaultdict(list)
    for lead in leads:
        if lead.source_id not in sources:
            sources[lead.source_id] = session.get(Source, lead.source_id)
        parsed = parse_address(lead.address or "", hints_for(lead, sources[lead.source_id]))
        if parsed.resolved or not parsed.text:
            report.offline += parsed.resolved
            report.failed += _apply(lead, parsed, None) == "failed"
            continue
        waiting[cache_key(parsed)].append((lead, parsed))
    for key, found in _cached(session, set(waiting)).items():
        for lead, parsed in waiting.pop(key):
            report.cache_hits += 1
            report.failed += _apply(lead, parsed, found) == "failed"
    by_city: dict[str | None, list[str]] = defaultdict(list)
    for key, items in waiting.items():
        by_city[items[0][1].geocoder_city].append(key)
    for city, keys in by_city.items():
        _ask(session, geocoder, city, keys, waiting, report)
    return report


def _ask(
    session: Session,
    geocoder: Geocoder | None,
    city: str | None,
    keys: list[str],
    waiting: dict[str, list[tuple[Lead, AddressParse]]],
    report: GeocodeReport,
) -> None:
    for start in range(0, len(keys), 10):
        chunk = keys[start : start + 10]
        try:
            if geocoder is None:
                raise QuotaExhaustedError("no geocoder configured", resume_at=utcnow())
            answers = geocoder.geocode([waiting[k][0][1].text for k in chunk], city)
        except (QuotaExhaustedError, RetriableError) as exc:  # a later run picks them up
            report.resume_at = getattr(exc, "resume_at", None) or utcnow()
            for key in keys[start:]:
                for lead, parsed in waiting[key]:
                    lead.adcode = parsed.adcode
                    lead.geocode_status = "awaiting_geocode"
                    report.awaiting += 1
                    report.awaiting_ids.append(lead.id)
            log.warning("geocoding deferred for %d address(es): %s", len(keys) - start, exc)
            return
        report.calls += 1
        report.sent += len(chunk)
        _store(session, [(k, waiting[k][0][1], found) for k, found in zip(chunk, answers, strict=True)])
        for key, found in zip(chunk, answers, strict=True):
            for lead, parsed in waiting[key]:
                report.failed += _apply(lead, parsed, found) == "failed"


def resume_awaiting(session: Session, geocoder: Geocoder | None, limit: int = 1000) -> GeocodeReport:
    """Geocode the leads left pending or awaiting (a quota stop), oldest first."""
    leads = session.scalars(
        select(Lead).where(Lead.geocode_status.in_(PENDING)).order_by(Lead.id).limit(limit)
    ).all()
    return geocode_leads(session, list(leads), geocoder)
