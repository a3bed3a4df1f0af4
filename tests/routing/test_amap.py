"""The Amap client against the sandbox: batches in order, signature, infocodes, redaction."""

from __future__ import annotations

import logging

import httpx
import pytest

from connectors.amap import AmapClient, QuotaExhaustedError, amap_signature
from connectors.amap.payloads import AmapGeocode
from connectors.errors import FatalError
from connectors.http import RequestMetrics
from connectors.sandbox import RunningSandbox
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, NotifyState
from tests.routing.conftest import amap_settings


def test_signature_is_md5_of_sorted_unencoded_params_and_private_key() -> None:
    params = {"address": "杭州市萧山区", "key": "k1", "batch": "false", "output": "JSON"}
    import hashlib

    expected = hashlib.md5("address=杭州市萧山区&batch=false&key=k1&output=JSONsecret".encode()).hexdigest()
    assert amap_signature(params, "secret") == expected


def test_empty_fields_sent_as_lists_become_none() -> None:
    item = AmapGeocode.model_validate({"province": "北京市", "city": [], "district": [], "adcode": "110105"})
    assert (item.city, item.district, item.adcode) == (None, None, "110105")


def test_batches_of_ten_come_back_in_order(amap: AmapClient, sim: NotifyState) -> None:
    addresses = ["萧山区宁围街道", "北京朝阳区建国路", "广州天河区", "杭州余杭", "南京鼓楼", "徐州鼓楼区",
                 "深圳南山", "成都武侯", "西安雁塔", "武汉洪山", "青岛崂山", "厦门思明"]  # fmt: skip
    results = amap.geocode(addresses)
    assert [r.adcode if r else None for r in results] == [
        "330109", "110105", "440106", "330110", "320106", "320302",
        "440305", "510107", "610113", "420111", "370212", "350203",
    ]  # fmt: skip
    assert sim.stats["amap"]["batches"] == 2 and sim.stats["amap"]["bad_signature"] == 0


def test_rate_limit_code_backs_off_and_succeeds(amap: AmapClient, sim: NotifyState) -> None:
    sim.faults["amap"].rate_limit_code = 2
    assert amap.geocode(["杭州萧山"])[0] is not None
    assert sim.stats["amap"]["requests"] == 3


def test_invalid_key_is_a_clear_fatal_error(sandbox: RunningSandbox) -> None:
    with (
        AmapClient(amap_settings(sandbox.base_url, key="wrong-key-123")) as client,
        pytest.raises(FatalError) as err,
    ):
        client.geocode(["杭州萧山"])
    assert "10001" in str(err.value) and "SYNCHUB_AMAP_KEY" in str(err.value)


def test_bad_private_key_is_a_signature_error(sandbox: RunningSandbox) -> None:
    settings = amap_settings(sandbox.base_url, private_key="not-the-private-key")
    with AmapClient(settings) as client, pytest.raises(FatalError, match="10007"):
        client.geocode(["杭州萧山"])


def test_quota_exhausted_stops_every_later_call(amap: AmapClient, sim: NotifyState) -> None:
    sim.faults["amap"].quota_exhausted = True
    with pytest.raises(QuotaExhaustedError) as err:
        amap.geocode(["杭州萧山"])
    assert err.value.resume_at.hour == 16  # midnight Beijing time, in UTC
    before = sim.stats["amap"]["requests"]
    with pytest.raises(QuotaExhaustedError):
        amap.geocode(["北京朝阳区"])
    assert sim.stats["amap"]["requests"] == before  # the gate held: no request went out


def test_key_and_signature_never_reach_the_logs(
    sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    metrics = RequestMetrics()
    with AmapClient(amap_settings(sandbox.base_url), metrics=metrics) as client:
        client.geocode(["杭州萧山", "北京朝阳区"])
    text = caplog.text
    assert "geocode/geo" in text
    assert (
        NOTIFY_CREDENTIALS["amap"]["key"] not in text
        and NOTIFY_CREDENTIALS["amap"]["private_key"] not in text
    )
    assert "sig=***" in text or "sig=%2A%2A%2A" in text
    assert metrics.total("amap", "geocode") == 1


def test_mock_transport_sees_batch_and_city() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        geocodes = [{"adcode": "330109", "province": "浙江省", "city": "杭州市", "district": "萧山区",
                     "location": "120.26,30.18", "level": "区县"}, {"adcode": [], "province": []}]  # fmt: skip
        return httpx.Response(
            200, json={"status": "1", "infocode": "10000", "count": "1", "geocodes": geocodes}
        )

    settings = amap_settings("https://restapi.amap.com", private_key=None)
    with AmapClient(settings, transport=httpx.MockTransport(handler)) as client:
        results = client.geocode(["宁围街道", "不存在的地方"], city="330100")
    assert results[0] is not None and results[0].district == "萧山区" and results[1] is None
    assert seen[0].params["batch"] == "true" and seen[0].params["city"] == "330100"
    assert "sig" not in seen[0].params
