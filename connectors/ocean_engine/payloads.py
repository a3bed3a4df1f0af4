"""Ocean Engine payloads as the API sends them; extra fields are kept (the vendor adds fields often)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["OceanEngineClue", "OceanEngineClueList", "OceanEngineEnvelope", "OceanEnginePageInfo"]


class OceanEngineClue(BaseModel):
    """One item of ``data.list`` of ``GET /open_api/2/tools/clue/get/``."""

    model_config = ConfigDict(extra="allow")

    clue_id: str = Field(description="The lead's id; unique across advertisers.")
    create_time_detail: str = Field(description="Submit time, Beijing time, 'YYYY-MM-DD HH:MM:SS'.")
    advertiser_id: int
    name: str | None = None
    telephone: str | None = None
    province_name: str | None = None
    city_name: str | None = None
    address: str | None = None
    remark_dict: dict[str, Any] | None = Field(None, description="Form fields keyed by their Chinese label.")
    ad_id: int | None = None
    ad_name: str | None = None
    clue_source: str | None = None


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
