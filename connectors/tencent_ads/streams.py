"""Tencent Ads streams, declared as data: v3.0 ``leads_list/get`` (default) and v1.3 ``lead_clues/get``.

Both read ``data.leads_info`` and page by number through the first 5,000 records, then by
``last_search_after_values`` = [the last record's time in milliseconds, its ``leads_id``] (the
documented way past the paging depth; page numbers there give 60022). v3.0 takes every parameter in
the query, structured ones as JSON text; v1.3 takes a JSON body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from connectors.incremental import CST
from connectors.pagination import DeepPagePaginator, Location, Paginator
from connectors.settings import ConnectorSettings
from connectors.streams import Stream
from connectors.tencent_ads.payloads import TencentAdsLead

__all__ = ["LEADS", "LEADS_V13", "PAGING_DEPTH", "STREAMS", "TIME_FIELDS", "search_after_key"]

PAGING_DEPTH = 5000  # developers.e.qq.com/v3.0/docs/api/leads_list/get, last_search_after_values
LARGEST_PAGE = {"v3.0": 200, "v1.3": 100}
TIME_FIELDS = {"TIME_TYPE_CREATED_TIME": "leads_create_time", "TIME_TYPE_ACTION_TIME": "leads_action_time"}


def search_after_key(record: dict[str, Any], time_field: str) -> list[str]:
    """``[time in ms, leads_id]`` of a record; a time that is already a number is taken as seconds
    or milliseconds by its size (the reply's time format is not documented for leads_list/get)."""
    value = record.get(time_field)
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = int(value)
        millis = number if number >= 10**11 else number * 1000
    else:
        stamp = datetime.strptime(str(value).strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
        millis = int(stamp.timestamp() * 1000)
    return [str(millis), str(record.get("leads_id"))]


def _deep_pages(location: Location) -> Callable[[ConnectorSettings], Paginator]:
    def paginator(settings: ConnectorSettings) -> Paginator:
        version = str(getattr(settings, "api_version", "v3.0"))
        time_field = TIME_FIELDS[str(getattr(settings, "time_type", "TIME_TYPE_CREATED_TIME"))]

        def after_of(record: Any) -> Any:
            key = search_after_key(record, time_field)
            return json.dumps(key) if location == "query" else key

        return DeepPagePaginator(
            depth=PAGING_DEPTH,
            after_param="last_search_after_values",
            after_of=after_of,
            total_records_path="data.page_info.total_number",
            page_size=min(settings.page_size, LARGEST_PAGE[version]),
            total_pages_path="data.page_info.total_page",
            max_pages=settings.max_pages,
            location=location,
        )

    return paginator


LEADS = Stream(
    name="leads",
    path="/v3.0/leads_list/get",
    primary_key="leads_id",
    cursor_field="leads_create_time",
    records_path="data.leads_info",
    paginator=_deep_pages("query"),
    payload_model=TencentAdsLead,
    max_window=timedelta(days=365),  # time_range spans at most one year (60015)
)
LEADS_V13 = replace(LEADS, path="/v1.3/lead_clues/get", method="POST", paginator=_deep_pages("json"))

STREAMS = (LEADS,)
