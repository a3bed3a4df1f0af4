"""Tencent Ads streams, declared as data."""

from __future__ import annotations

from connectors.streams import Stream, numbered_pages
from connectors.tencent_ads.payloads import TencentAdsLead

__all__ = ["LEADS", "STREAMS"]

LEADS = Stream(
    name="leads",
    path="/v1.3/lead_clues/get",
    primary_key="leads_id",
    cursor_field="leads_create_time",
    records_path="data.list",
    paginator=numbered_pages(total_pages_path="data.page_info.total_page", largest_page=100),
    payload_model=TencentAdsLead,
    # Pages reach 5,000 records deep (developers.e.qq.com, leads_list/get); a fuller window is halved.
    max_window_records=5000,
    total_records_path="data.page_info.total_number",
)

STREAMS = (LEADS,)
