"""Baidu streams, declared as data."""

from __future__ import annotations

from datetime import timedelta

from connectors.baidu.payloads import BaiduLeadNotice
from connectors.pagination import PageNumberPaginator, Paginator
from connectors.settings import ConnectorSettings
from connectors.streams import Stream

__all__ = ["LEADS", "STREAMS"]


def _pages(settings: ConnectorSettings) -> Paginator:
    # No total in the reply: a short page is the last one.
    return PageNumberPaginator(
        page_param="body.pageNo",
        size_param="body.pageSize",
        page_size=settings.page_size,
        max_pages=settings.max_pages,
        location="json",
    )


LEADS = Stream(
    name="leads",
    path="/json/sms/service/LeadsNoticeService/getNoticeList",
    method="POST",
    primary_key="clueId",
    cursor_field="commitTime",
    records_path="body.data",
    paginator=_pages,
    payload_model=BaiduLeadNotice,
    max_window=timedelta(days=30),
)

STREAMS = (LEADS,)
