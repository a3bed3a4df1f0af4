"""Baidu streams, declared as data.

The reply nests the page: ``body.data`` is a list of ``NoticeListResponse`` and the leads are in
``body.data[0].noticeDetailList``, next to ``totalNum`` (leads in the whole query). Pages are numbered
from 1 (``body.pageNo``, ``body.pageSize``); the last page is the one whose positions reach
``totalNum`` (``pageNo * pageSize >= totalNum``), or an empty page, or a short one when ``totalNum``
is missing.
"""

from __future__ import annotations

from datetime import timedelta

from connectors.baidu.payloads import BaiduLeadNotice
from connectors.pagination import PageNumberPaginator, Paginator
from connectors.settings import ConnectorSettings
from connectors.streams import Stream

__all__ = ["LEADS", "RECORDS_PATH", "STREAMS", "TOTAL_PATH"]

RECORDS_PATH = "body.data.0.noticeDetailList"
TOTAL_PATH = "body.data.0.totalNum"


def notice_pages(settings: ConnectorSettings) -> Paginator:
    """``body.pageNo`` 1, 2, … of ``settings.page_size`` leads until ``totalNum`` is reached."""
    return PageNumberPaginator(
        page_param="body.pageNo",
        size_param="body.pageSize",
        page_size=settings.page_size,
        total_records_path=TOTAL_PATH,
        max_pages=settings.max_pages,
        location="json",
    )


LEADS = Stream(
    name="leads",
    path="/json/sms/service/LeadsNoticeService/getNoticeList",
    method="POST",
    primary_key="clueId",
    cursor_field="commitTime",
    records_path=RECORDS_PATH,
    paginator=notice_pages,
    payload_model=BaiduLeadNotice,
    max_window=timedelta(days=30),
)

STREAMS = (LEADS,)
