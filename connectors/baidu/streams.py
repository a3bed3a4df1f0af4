"""Baidu streams, declared as data."""

from __future__ import annotations

from datetime import timedelta

from connectors.baidu.payloads import BaiduLeadNotice
from connectors.streams import Stream, numbered_pages

__all__ = ["LEADS", "STREAMS"]

LEADS = Stream(
    name="leads",
    path="/json/sms/service/LeadsNoticeService/getNoticeList",
    method="POST",
    primary_key="clueId",
    cursor_field="commitTime",
    records_path="body.data",
    # No page count in the reply: a short page is the last one.
    paginator=numbered_pages(page_param="body.pageNo", size_param="body.pageSize", location="json"),
    payload_model=BaiduLeadNotice,
    max_window=timedelta(days=30),
)

STREAMS = (LEADS,)
