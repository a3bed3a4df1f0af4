"""Tencent Ads payloads as the API sends them; extra fields are kept.

Field names and types follow ``LeadsListStruct`` of the vendor's SDKs (marketing-api-java-sdk
``model/v3/LeadsListStruct.java``, marketing-api-go-sdk ``pkg/model/v3``). Where the docs table and
the SDKs disagree (``adgroup_id``, ``page_id``: int64 in the docs, string in the SDKs) both are read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TencentAdsEnvelope", "TencentAdsLead", "TencentAdsPageInfo"]


class TencentAdsLead(BaseModel):
    """One record of ``data.leads_info`` (v3.0 ``leads_list/get``; v1.3 ``lead_clues/get`` alike)."""

    model_config = ConfigDict(extra="allow")

    leads_id: int | str = Field(description="The lead's id (integer in v3.0).")
    account_id: int | None = None
    leads_create_time: str | None = Field(None, description="Entry into Tencent's store, Beijing time.")
    leads_action_time: str | None = Field(None, description="Form submit or call time, Beijing time.")
    leads_name: str | None = None
    leads_telephone: str | None = None
    leads_email: str | None = None
    leads_area: str | None = None
    address: str | None = None
    bundle: str | None = Field(None, description="The form's answers as JSON text of question -> answer.")
    leads_type: str | None = None
    leads_source: str | None = None
    adgroup_id: int | str | None = None
    adgroup_name: str | None = None
    campaign_id: int | None = Field(None, description="v1.3 only.")


class TencentAdsPageInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    page: int
    page_size: int
    total_number: int
    total_page: int


class TencentAdsEnvelope(BaseModel):
    """Every reply: non-zero ``code`` is an error (HTTP 200 either way); ``data`` only on success."""

    model_config = ConfigDict(extra="allow")

    code: int
    message: str = ""
    message_cn: str | None = None
    data: dict[str, Any] | None = None
    code_type: str | None = None
    trace_id: str | None = None
