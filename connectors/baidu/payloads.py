"""Baidu payloads as the API sends them (wire names from the baiduads SDK models); extra fields kept.

Sources: github.com/baidu/baiduads-sdk at 176363de5e8a4e98aaca039e4300703c3964c1c7,
``python/baiduads-sdk-auto/baiduads/leadsnotice/model/`` (``notice_reponse.py``,
``notice_list_response.py``, ``get_notice_list_response_wrapper*.py``) and
``baiduads/common/model/api_response_header.py`` / ``api_error_info.py``. Every field is optional in
the SDK (three were added after the first release), so every field but the primary key is optional
here; Java's ``Long`` ids are plain ``int``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BaiduEnvelope",
    "BaiduFailure",
    "BaiduLeadNotice",
    "BaiduNoticeList",
    "BaiduNoticeListBody",
    "BaiduResponseHeader",
]


class BaiduLeadNotice(BaseModel):
    """One item of ``body.data[0].noticeDetailList`` (the SDK's ``NoticeReponse``, sic)."""

    model_config = ConfigDict(extra="allow")

    # camelCase: the vendor's field names
    # Optional in the SDK, required here: it is the stream's primary key (a record without it is
    # kept under a content hash, with a warning).
    clueId: str = Field(description="The lead's id (a string in the SDK).")
    commitTime: str | None = Field(None, description="Submit time; the SDK types it only as str.")
    cluePhoneNumber: str | None = Field(None, description="The lead's phone number.")
    formDetail: str | None = Field(
        None, description="Form answers as one string; its inner format is not published."
    )
    userName: str | None = Field(None, description="Not documented; public clients read a contact name.")
    solutionType: str | None = None
    area: str | None = None
    flowChannelName: str | None = None
    connect: int | None = None
    userId: int | None = None
    campaignId: int | None = None
    adgroupId: int | None = None
    creativeId: int | None = None
    keywordId: int | None = None
    solutionId: int | None = None
    siteId: int | None = None
    pageId: int | None = None
    campaignName: str | None = None
    adgroupName: str | None = None
    keyword: str | None = None
    searchWord: str | None = None
    url: str | None = None
    accountName: str | None = None


class BaiduNoticeList(BaseModel):
    """One item of ``body.data`` (the SDK's ``NoticeListResponse``): the page and the window's size."""

    model_config = ConfigDict(extra="allow")

    totalNum: int | None = Field(None, description="Leads in the whole query (Long in the Java SDK).")
    rowNumber: int | None = Field(None, description="Not documented.")
    noticeDetailList: list[BaiduLeadNotice] = Field(default_factory=list)


class BaiduNoticeListBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    data: list[BaiduNoticeList] = Field(default_factory=list)


class BaiduFailure(BaseModel):
    """``header.failures[]`` (the SDK's ``ApiErrorInfo``)."""

    model_config = ConfigDict(extra="allow")

    code: int
    message: str = ""
    field: str | None = None
    position: str | None = None
    id: int | None = None


class BaiduResponseHeader(BaseModel):
    """``status == 0`` is success (the SDK's README); anything else carries ``failures``."""

    model_config = ConfigDict(extra="allow")

    status: int
    desc: str = ""
    failures: list[BaiduFailure] = Field(default_factory=list)
    traceid: str | None = None
    oprs: int | None = None
    succ: int | None = None
    oprtime: int | None = None
    quota: int | None = None
    rquota: int | None = None


class BaiduEnvelope(BaseModel):
    """``{"header": ApiResponseHeader, "body": {"data": [NoticeListResponse]}}``."""

    model_config = ConfigDict(extra="allow")

    header: BaiduResponseHeader
    body: BaiduNoticeListBody | None = None
