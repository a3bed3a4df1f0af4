"""The Amap simulator answers from its own gazetteer the way Amap's geocoder does (raw HTTP, no client):
district, city or nothing; every place listed for an ambiguous address; ``city`` narrows the search."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.sandbox import RunningSandbox
from connectors.sandbox.amap_places import gazetteer
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS
from connectors.sandbox.vendor_signatures import amap_sig


def ask(sandbox: RunningSandbox, address: str, **extra: str) -> dict[str, Any]:
    creds = NOTIFY_CREDENTIALS["amap"]
    params = {"key": creds["key"], "address": address, "output": "JSON", **extra}
    params["sig"] = amap_sig(params, creds["private_key"])
    reply = httpx.get(f"{sandbox.base_url}/v3/geocode/geo", params=params, timeout=10)
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    assert body["status"] == "1" and body["infocode"] == "10000"
    return body


def test_a_named_district_is_answered_at_district_level(sandbox: RunningSandbox) -> None:
    body = ask(sandbox, "浙江省杭州市萧山区市心北路99号")
    assert body["count"] == "1"
    item = body["geocodes"][0]
    assert (item["adcode"], item["level"], item["city"], item["citycode"]) == (
        "330109",
        "区县",
        "杭州市",
        "0571",
    )
    assert item["formatted_address"] == "浙江省杭州市萧山区市心北路99号"
    lng, lat = (float(v) for v in item["location"].split(","))
    assert 119.5 < lng < 121 and 29.5 < lat < 31  # near Hangzhou


def test_an_ambiguous_district_lists_every_place_without_a_city(sandbox: RunningSandbox) -> None:
    body = ask(sandbox, "朝阳区望京SOHO", batch="false")
    assert body["count"] == "2"
    assert sorted(g["adcode"] for g in body["geocodes"]) == ["110105", "220104"]
    beijing = next(g for g in body["geocodes"] if g["adcode"] == "110105")
    assert beijing["city"] == "北京市" and beijing["province"] == "北京市"  # a municipality is its own city


@pytest.mark.parametrize(("city", "adcode"), [("长春", "220104"), ("220100", "220104"), ("0431", "220104"),
                                              ("北京", "110105"), ("110100", "110105"), ("010", "110105")])  # fmt: skip
def test_city_narrows_by_name_adcode_or_citycode(sandbox: RunningSandbox, city: str, adcode: str) -> None:
    body = ask(sandbox, "朝阳区望京SOHO", city=city)
    assert [g["adcode"] for g in body["geocodes"]] == [adcode]


def test_a_city_without_a_district_is_answered_at_city_level(sandbox: RunningSandbox) -> None:
    item = ask(sandbox, "杭州市文一西路969号")["geocodes"][0]
    assert (item["adcode"], item["level"], item["district"]) == ("330100", "市", [])


def test_a_road_named_like_a_city_is_not_a_place(sandbox: RunningSandbox) -> None:
    body = ask(sandbox, "和平区南京路")  # 南京路 is a road; 和平区 is in Tianjin and in Shenyang
    assert sorted(g["adcode"] for g in body["geocodes"]) == ["120101", "210102"]


def test_unknown_places_count_zero_and_batches_keep_their_slots(sandbox: RunningSandbox) -> None:
    assert ask(sandbox, "火星基地一号")["count"] == "0"
    body = ask(sandbox, "火星基地一号|徐州鼓楼区|南京鼓楼", batch="true")
    assert body["count"] == "2" and len(body["geocodes"]) == 3
    empty, xuzhou, nanjing = body["geocodes"]
    assert empty["adcode"] == [] and empty["level"] == "未知"
    assert (xuzhou["adcode"], nanjing["adcode"]) == ("320302", "320106")


def test_the_gazetteer_file_is_consistent() -> None:
    places = gazetteer().places
    assert len(places) >= 500
    provinces = [p for p in places.values() if p.level == "province"]
    assert len(provinces) >= 33  # every province-level division
    for place in places.values():
        assert len(place.adcode) == 6 and place.adcode.isdigit()
        assert place.parent is None or place.parent in places
        lng, lat = (float(v) for v in place.location.split(","))
        assert 73 < lng < 136 and 18 < lat < 54, place
        if place.level == "city":
            assert place.citycode, place  # Amap's citycode is the telephone area code
