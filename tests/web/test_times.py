"""Times are stored in UTC and shown in Beijing time in the console, labelled (issue 20: headings in
Beijing time, table cells and ledger values in UTC marked ``Z``, neither said)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core.models import Contract
from hub.web.clock import BEIJING_LABEL, beijing_text, beijing_times
from hub.web.render import make_templates
from store.engine import session_scope

from .conftest import ClientFor, Site

LATE_EVENING_UTC = datetime(2026, 12, 6, 16, 26, 59, tzinfo=UTC)  # 00:26:59 on 7 December in Beijing


@pytest.mark.parametrize(
    ("value", "seconds", "shown"),
    [
        (LATE_EVENING_UTC, True, "2026-12-07 00:26:59"),
        (LATE_EVENING_UTC, False, "2026-12-07 00:26"),
        (LATE_EVENING_UTC.replace(tzinfo=None), True, "2026-12-07 00:26:59"),  # naive: the store's UTC
        (LATE_EVENING_UTC.astimezone(timezone(timedelta(hours=-5))), True, "2026-12-07 00:26:59"),
        ("2026-12-06T16:26:59.000000Z", True, "2026-12-07 00:26:59"),  # the ledger's text
        ("2026-12-07T00:26:59+08:00", True, "2026-12-07 00:26:59"),
        ("2026-12-06", True, "2026-12-06"),  # a date is not a time: as it is
        ("not a time", True, "not a time"),
        (None, True, "—"),
    ],
)
def test_the_when_filter_shows_beijing_time(value: object, seconds: bool, shown: str) -> None:
    when = make_templates().filters["when"]
    assert when(value, seconds) == shown
    assert beijing_text(value, seconds) == shown  # type: ignore[arg-type]


def test_ledger_text_has_its_times_in_beijing_time() -> None:
    text = 'escalated_at: None → 2026-12-06T16:26:59.000000Z; {"at": "2026-12-06T16:26:59+00:00"}'
    assert beijing_times(text) == 'escalated_at: None → 2026-12-07 00:26:59; {"at": "2026-12-07 00:26:59"}'


def test_the_receivables_page_shows_and_labels_beijing_time(site: Site, client_for: ClientFor) -> None:
    with session_scope(site.engine) as s:
        signed = s.scalars(select(Contract.signed_at).where(Contract.number == "HT-2026-001")).one()
    html = client_for("zhao").get("/receivables").text
    row = re.search(r'data-contract="HT-2026-001">(.*?)</tr>', html, re.S)
    assert row
    assert f"签于 {beijing_text(signed)}（{BEIJING_LABEL}）" in row.group(1)
    assert signed.astimezone(UTC).strftime("%Y-%m-%d %H:%M") not in row.group(1)  # not the UTC wall clock


def test_the_history_page_shows_ledger_values_in_beijing_time(site: Site, client_for: ClientFor) -> None:
    with session_scope(site.engine) as s:
        contract = s.scalars(select(Contract).where(Contract.number == "HT-2026-001")).one()
        ident, signed = contract.id, contract.signed_at
    html = client_for("li").get(f"/audit/history/contract/{ident}").text
    assert f"时间均为{BEIJING_LABEL}" in html
    assert beijing_text(signed, with_seconds=True) in html
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", html), "a UTC value in the ledger view"
    audit = client_for("li").get("/audit", params={"entity_type": "contract"}).text
    assert f"<th>时间（{BEIJING_LABEL}）</th>" in audit
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", audit)
