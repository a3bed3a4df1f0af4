"""The base request loop: time windows, page states, vendor classification, odd records."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import httpx
import pytest

from connectors.baidu import BaiduConnector, BaiduSettings
from connectors.base import CursorState
from connectors.errors import FatalError, RetriableError
from connectors.incremental import CST
from connectors.ocean_engine import OceanEngineConnector, OceanEngineSettings

from .support import END

FAST: dict[str, Any] = {"retry_initial_wait": 0.0, "retry_max_attempts": 2, "access_token": "tok-1"}


def baidu(handler: Any, **overrides: Any) -> BaiduConnector:
    settings = BaiduSettings(base_url="https://bd.test", user_names=["u"], **{**FAST, **overrides})
    return BaiduConnector(settings=settings, transport=httpx.MockTransport(handler))


def test_long_ranges_are_cut_into_the_vendor_window_and_the_state_moves_per_window() -> None:
    windows: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)["body"]
        windows.append((body["startDate"], body["endDate"]))
        rows = (
            [{"clueId": f"c{len(windows)}", "commitTime": body["startDate"]}] if body["pageNo"] == 1 else []
        )
        page = {"totalNum": 1, "noticeDetailList": rows}  # Baidu nests the page in body.data[0]
        return httpx.Response(200, json={"header": {"status": 0}, "body": {"data": [page]}})

    connector = baidu(handler, start_date=datetime(2026, 9, 1, tzinfo=CST), page_size=1)
    pages = list(connector.read("leads", "u", CursorState(), END))
    assert windows[0][0] == "2026-09-01 00:00:00" and windows[-1][1] == "2026-12-01 00:00:00"
    starts = sorted(set(windows))
    spans = [(datetime.fromisoformat(b) - datetime.fromisoformat(a)).days for a, b in starts]
    assert max(spans) <= 30 and len(starts) == 4
    consecutive = [s[0] for s in starts[1:]] == [s[1] for s in starts[:-1]]
    assert consecutive, "windows touch without gaps"
    values = [p.state.value for p in pages]
    assert values == sorted(values, key=lambda v: v or "") and values[-1] == "2026-11-30T00:00:00+08:00"


def test_newest_first_pages_hold_the_state_until_the_window_is_done() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        rows = [
            {"clue_id": f"{page}", "create_time_detail": f"2026-11-2{5 - page} 10:00:00", "advertiser_id": 1}
        ]
        page_info = {"page": page, "page_size": 1, "total_number": 3, "total_page": 3}
        return httpx.Response(200, json={"code": 0, "data": {"list": rows, "page_info": page_info}})

    settings = OceanEngineSettings(
        advertiser_ids=["1"], page_size=1, start_date="2026-11-01T00:00:00+08:00", **FAST
    )
    connector = OceanEngineConnector(settings=settings, transport=httpx.MockTransport(handler))
    start = CursorState(value="2026-11-01T00:00:00+08:00")
    states = [p.state for p in connector.read("leads", "1", start, END)]
    assert states[:2] == [start, start], "a crash after page 1 must not skip pages 2 and 3"
    assert states[2] == CursorState("2026-11-24T10:00:00+08:00", ("1",))


def test_partial_success_keeps_the_data_and_failure_is_classified(caplog: pytest.LogCaptureFixture) -> None:
    replies = iter([
        {"header": {"status": 2, "failures": [{"code": 900001}]},
         "body": {"data": [{"noticeDetailList": [{"clueId": "a", "commitTime": "2026-11-20 10:00:00"}]}]}},
        {"header": {"status": 3, "failures": [{"code": 8106, "message": "not yours"}]}, "body": {}},
    ])  # fmt: skip
    connector = baidu(lambda request: httpx.Response(200, json=next(replies)), page_size=1,
                      start_date=datetime(2026, 11, 10, tzinfo=CST))  # fmt: skip
    with pytest.raises(FatalError, match="8106"):
        for page in connector.read("leads", "u", CursorState(), END):
            assert [r.external_id for r in page.records] == ["a"]
    assert "partial success" in caplog.text


def test_a_reply_that_is_not_json_is_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, text="<html>gateway</html>")

    with pytest.raises(RetriableError, match="not JSON"):
        list(
            baidu(handler, start_date=datetime(2026, 11, 10, tzinfo=CST)).read(
                "leads", "u", CursorState(), END
            )
        )
    assert len(calls) == 2


def test_a_record_without_a_key_is_kept_under_a_content_hash(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rows = [
        {"commitTime": "2026-11-20 10:00:00", "name": "无编号"},
        {"clueId": "b", "commitTime": "bad time"},
    ]
    reply = {"header": {"status": 0}, "body": {"data": [{"totalNum": 2, "noticeDetailList": rows}]}}
    connector = baidu(
        lambda request: httpx.Response(200, json=reply), start_date=datetime(2026, 11, 10, tzinfo=CST)
    )
    records = [r for p in connector.read("leads", "u", CursorState(), END) for r in p.records]
    assert records[0].external_id.startswith("sha256:") and records[0].payload == rows[0]
    assert records[1].external_id == "b" and records[1].cursor_value is None
    assert "does not match BaiduLeadNotice" in caplog.text


def test_unknown_stream_is_refused() -> None:
    with pytest.raises(FatalError, match="no stream 'orders'"):
        list(baidu(lambda r: httpx.Response(500)).read("orders", "u", CursorState()))
