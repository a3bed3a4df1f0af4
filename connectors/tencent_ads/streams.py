"""Tencent Ads streams, declared as data."""

from __future__ import annotations

from connectors.pagination import PageNumberPaginator, Paginator
from connectors.settings import ConnectorSettings
from connectors.streams import Stream
from connectors.tencent_ads.payloads import TencentAdsLead

__all__ = ["LEADS", "STREAMS"]


def _pages(settings: ConnectorSettings) -> Paginator:
    return PageNumberPaginator(
        page_param="page",
        size_param="page_size",
        page_size=min(settings.page_size, 100),
        total_pages_path="data.page_info.total_page",
        max_pages=settings.max_pages,
    )


LEADS = Stream(
    name="leads",
    path="/v1.3/lead_clues/get",
    primary_key="leads_id",
    cursor_field="leads_create_time",
    records_path="data.list",
    paginator=_pages,
    payload_model=TencentAdsLead,
)

STREAMS = (LEADS,)
