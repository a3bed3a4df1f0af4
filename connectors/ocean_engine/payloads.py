"""Ocean Engine payloads as the API sends them; extra fields are kept (the vendor adds fields often).

Types follow the official Go SDK (oceanengine/ad_open_sdk_go @ 9283cb7a,
``models/model_tools_clue_get_v2_response_data_list_inner.go``): ids such as ``advertiser_id``,
``ad_id`` and ``clue_id`` are **strings**, ``clue_source``/``clue_type``/``allocation_status`` are
**integers**. A numeric id is read as its decimal text (the community SDK bububa/oceanengine reads
both forms), so a record keeps one type whichever way the vendor sends it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["OceanEngineClue", "OceanEngineClueList", "OceanEngineEnvelope", "OceanEnginePageInfo"]

ID_FIELDS = ("clue_id", "advertiser_id", "ad_id", "creative_id", "project_id")


class OceanEngineClue(BaseModel):
    """One item of ``data.list`` of ``GET /open_api/2/tools/clue/get/``."""

    model_config = ConfigDict(extra="allow")

    clue_id: str = Field(description="The lead's id; unique across advertisers.")
    create_time_detail: str = Field(description="Submit time, Beijing time, 'YYYY-MM-DD HH:MM:SS'.")
    advertiser_id: str = Field(description="Advertiser id; a string in the SDK model.")
    advertiser_name: str | None = None
    name: str | None = None
    telephone: str | None = None
    province_name: str | None = None
    city_name: str | None = None
    address: str | None = None
    remark_dict: dict[str, Any] | None = Field(None, description="Form fields keyed by their Chinese label.")
    ad_id: str | None = None
    ad_name: str | None = None
    creative_id: str | None = None
    project_id: str | None = None
    promotion_id: int | None = None
    app_name: str | None = Field(None, description="Traffic source (流量来源), e.g. 抖音 or 今日头条.")
    clue_source: int | None = Field(None, description="Lead source enum (线索来源), an integer.")
    clue_type: int | None = Field(None, description="Component type: 0 form, 1 consultation, 2 phone, …")
    allocation_status: int | None = None

    @field_validator(*ID_FIELDS, mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class OceanEnginePageInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    page: int
    page_size: int
    total_number: int
    total_page: int


class OceanEngineClueList(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    items: list[OceanEngineClue] = Field(default_factory=list, alias="list")
    page_info: OceanEnginePageInfo | None = None


class OceanEngineEnvelope(BaseModel):
    """Every reply: ``code`` 0 is success (HTTP 200 either way)."""

    model_config = ConfigDict(extra="allow")

    code: int
    message: str = ""
    request_id: str | None = None
    data: dict[str, Any] | None = None
