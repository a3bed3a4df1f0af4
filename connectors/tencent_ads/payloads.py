"""Tencent Ads payloads as the API sends them; extra fields are kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TencentAdsEnvelope", "TencentAdsLead", "TencentAdsPageInfo"]


class TencentAdsLead(BaseModel):
    """One item of ``data.list`` of ``GET /v1.3/lead_clues/get``."""

    model_config = ConfigDict(extra="allow")

    leads_id: str = Field(description="The lead's id.")
    leads_create_time: str = Field(description="Submit time, Beijing time, 'YYYY-MM-DD HH:MM:SS'.")
    leads_name: str | None = None
    leads_telephone: str | None = None
    leads_email: str | None = None
    leads_company: str | None = None
    leads_area: str | None = Field(None, description="Province and city separated by a space.")
    leads_address: str | None = None
    leads_source: str | None = None
    campaign_id: int | None = None
    adgroup_id: int | None = None
    leads_remark: str | None = None


class TencentAdsPageInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    page: int
    page_size: int
    total_number: int
    total_page: int


class TencentAdsEnvelope(BaseModel):
    """Every reply: non-zero ``code`` is an error (HTTP 200 either way)."""

    model_config = ConfigDict(extra="allow")

    code: int
    message: str = ""
    message_cn: str | None = None
    data: dict[str, Any] | None = None
