"""Baidu payloads as the API sends them; extra fields are kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BaiduEnvelope", "BaiduFailure", "BaiduFormField", "BaiduLeadNotice", "BaiduResponseHeader"]


class BaiduFormField(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    value: Any = None


class BaiduLeadNotice(BaseModel):
    """One item of ``body.data`` of ``POST /json/sms/service/LeadsNoticeService/getNoticeList``."""

    model_config = ConfigDict(extra="allow")

    clueId: str = Field(description="The lead's id.")  # camelCase: the vendor's field names
    commitTime: str = Field(description="Submit time, Beijing time, 'YYYY-MM-DD HH:MM:SS'.")
    name: str | None = None
    phoneNum: str | None = None
    area: str | None = Field(None, description="Province and city joined by '-'.")
    formDetail: list[BaiduFormField] | None = None
    planName: str | None = None
    unitName: str | None = None
    keyword: str | None = None
    url: str | None = None


class BaiduFailure(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: int
    message: str = ""


class BaiduResponseHeader(BaseModel):
    """``status`` 0 ok, 2 partial success, 3 failure (see ``failures``)."""

    model_config = ConfigDict(extra="allow")

    desc: str = ""
    status: int
    failures: list[BaiduFailure] = Field(default_factory=list)


class BaiduEnvelope(BaseModel):
    model_config = ConfigDict(extra="allow")

    header: BaiduResponseHeader
    body: dict[str, Any] | None = None
