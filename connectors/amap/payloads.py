"""Amap replies as sent, and the normalised geocode result the hub sees.

Every Amap value is a string and an empty field is ``[]`` rather than ``""``: :func:`text_or_none`
turns both into None, so nothing downstream tests for lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["AmapGeocode", "AmapReply", "GeocodeResult", "text_or_none"]


def text_or_none(value: Any) -> str | None:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        return "".join(str(v) for v in value) or None
    return str(value)


class AmapGeocode(BaseModel):
    """One item of ``geocodes``."""

    model_config = ConfigDict(extra="allow")

    formatted_address: str | None = None
    country: str | None = None
    province: str | None = None
    citycode: str | None = None
    city: str | None = None
    district: str | None = None
    adcode: str | None = None
    location: str | None = Field(None, description="'lng,lat' in GCJ-02.")
    level: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_list_is_none(cls, value: Any) -> str | None:
        return text_or_none(value)


class AmapReply(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: str
    info: str = ""
    infocode: str = ""
    count: str | None = None
    geocodes: list[AmapGeocode] = Field(default_factory=list)

    @field_validator("geocodes", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return value or []


@dataclass(frozen=True)
class GeocodeResult:
    """What the hub keeps of one geocoded address."""

    adcode: str | None
    province: str | None
    city: str | None
    district: str | None
    location: str | None
    level: str | None
    formatted_address: str | None = None

    @classmethod
    def from_payload(cls, item: AmapGeocode) -> GeocodeResult:
        return cls(item.adcode, item.province, item.city, item.district, item.location, item.level,
                   item.formatted_address)  # fmt: skip
