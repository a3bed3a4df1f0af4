"""The contract every source connector keeps, run against the sandbox for every connector and stream.

A new connector adds one line to ``CONNECTORS`` (a test fails until it does).
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest

from connectors.base import CursorState, SourceConnector
from connectors.incremental import parse_cursor
from connectors.registry import source_connector_class, source_connector_names
from connectors.sandbox import SANDBOX_CREDENTIALS, RunningSandbox
from connectors.sandbox.state import initial_token

from .support import harness, pull, records_of

CONNECTORS = [
    "ocean_engine",
    "tencent_ads",
    "baidu",
]

SHAPE = ("README.md", "settings.py", "payloads.py", "streams.py", "connector.py")
CASES = [
    pytest.param(name, stream.name, id=f"{name}-{stream.name}")
    for name in CONNECTORS
    for stream in source_connector_class(name).stream_list
]
PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)\(?0\d{2,3}\)?-?\d{7,8}(?!\d)"
)


def missing_shape(folder: Path) -> list[str]:
    return [name for name in SHAPE if not (folder / name).is_file()]


def connector_folder(name: str) -> Path:
    return Path(inspect.getfile(source_connector_class(name))).parent


def test_every_registered_connector_is_in_the_contract_suite() -> None:
    assert sorted(CONNECTORS) == sorted(source_connector_names())


@pytest.mark.parametrize("name", source_connector_names())
def test_connector_folder_has_the_standard_shape(name: str) -> None:
    folder = connector_folder(name)
    assert folder.name == name
    assert missing_shape(folder) == []
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for stream in source_connector_class(name).stream_list:
        assert stream.path in readme, f"{name}/README.md does not document {stream.path}"


def test_shape_check_reports_a_missing_file(tmp_path: Path) -> None:
    for name in SHAPE[:-1]:
        (tmp_path / name).write_text("", encoding="utf-8")
    assert missing_shape(tmp_path) == ["connector.py"]


def _all_records(connector: SourceConnector, stream: str) -> tuple[list[list[object]], list[object]]:
    per_account = [records_of(pull(connector, stream, account)) for account in connector.accounts()]
    return per_account, [r for rows in per_account for r in rows]


@pytest.mark.parametrize(("name", "stream"), CASES)
class TestSourceContract:
    def test_returns_records_with_unique_non_null_keys(
        self, sandbox: RunningSandbox, name: str, stream: str
    ) -> None:
        h = harness(sandbox, name)
        assert len(h.connector.accounts()) >= 2
        per_account, records = _all_records(h.connector, stream)
        assert all(rows for rows in per_account), "every sandbox account has leads"
        keys = [r.external_id for r in records]  # type: ignore[attr-defined]
        assert all(keys) and len(keys) == len(set(keys))
        assert len(records) == len(sandbox.state.all_records(name))

    def test_payloads_validate_and_are_exactly_what_the_vendor_sent(
        self, sandbox: RunningSandbox, name: str, stream: str
    ) -> None:
        h = harness(sandbox, name)
        spec = source_connector_class(name).stream_list[0]
        sent = {str(r[spec.primary_key]): r for r in sandbox.state.all_records(name)}
        for account in h.connector.accounts():
            for record in records_of(pull(h.connector, stream, account)):
                assert record.account == account
                assert record.payload == sent[record.external_id]
                spec.payload_model.model_validate(record.payload)
                assert record.cursor_value is not None
                assert parse_cursor(record.cursor_value).utcoffset() == timedelta(hours=8)

    def test_pagination_ends_after_several_pages(
        self, sandbox: RunningSandbox, name: str, stream: str
    ) -> None:
        h = harness(sandbox, name, page_size=5)
        account = h.connector.accounts()[0]
        pages = pull(h.connector, stream, account)
        rows = len(sandbox.state.records[name][account])
        assert len(records_of(pages)) == rows
        sent = h.metrics.total(name, stream)
        assert rows / 5 <= sent <= rows / 5 + 4, f"{sent} requests for {rows} rows at 5 a page"

    def test_cursor_never_goes_backwards_and_a_second_pull_returns_only_new_records(
        self, sandbox: RunningSandbox, name: str, stream: str
    ) -> None:
        h = harness(sandbox, name)
        account = h.connector.accounts()[0]
        pages = pull(h.connector, stream, account)
        values = [parse_cursor(p.state.value) for p in pages if p.state.value]
        assert values == sorted(values) and values, "page states only move forward"
        final = pages[-1].state
        first = records_of(pages)
        newest = max(parse_cursor(r.cursor_value) for r in first)
        assert parse_cursor(final.value) == newest  # type: ignore[arg-type]
        assert set(final.boundary_keys) == {
            r.external_id for r in first if parse_cursor(r.cursor_value) == newest
        }

        assert records_of(pull(h.connector, stream, account, final)) == []
        added = sandbox.state.add_lead(name, account, newest)  # a tie at the boundary, not seen yet
        later = records_of(pull(h.connector, stream, account, final))
        assert [r.payload for r in later] == [added]
        assert {r.external_id for r in later}.isdisjoint(r.external_id for r in first)

    def test_no_secret_or_full_phone_number_in_logs(
        self, sandbox: RunningSandbox, name: str, stream: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        sandbox.state.faults[name].update({"expire_access_token": True, "http_429": 1, "retry_after": 0})
        h = harness(sandbox, name)
        records = _all_records(h.connector, stream)[1]
        text = caplog.text
        assert "****" in text, "record content was logged (masked), so this test can see a leak"
        assert "refreshed" in text and "retrying" in text

        pair = h.store.load(name, "default")
        assert pair is not None
        secrets = [
            pair.access_token,
            pair.refresh_token,
            initial_token(name, "access"),
            initial_token(name, "refresh"),
        ]
        secrets += [v for k, v in SANDBOX_CREDENTIALS[name].items() if "secret" in k]
        for secret in secrets:
            assert secret and secret not in text
        flat = re.sub(r"[ ()+-]", "", text)
        phones = {m for r in records for m in PHONE.findall(json.dumps(r.payload, ensure_ascii=False))}  # type: ignore[attr-defined]
        assert phones, "the sandbox leads carry phone numbers"
        for phone in phones:
            digits = re.sub(r"\D", "", phone)[-11:]
            assert phone not in text and digits not in flat, f"phone {phone!r} leaked into the logs"


def test_state_beyond_end_makes_no_request(sandbox: RunningSandbox) -> None:
    h = harness(sandbox, "ocean_engine")
    state = CursorState(value="2027-01-01T00:00:00+08:00", boundary_keys=("x",))
    pages = pull(h.connector, "leads", h.connector.accounts()[0], state)
    assert [(p.records, p.state) for p in pages] == [([], state)]
    assert h.metrics.total() == 0
