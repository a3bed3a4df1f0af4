"""Settings of the Ocean Engine connector (environment prefix ``SYNCHUB_OCEAN_ENGINE_``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings, StrList, split_list

__all__ = ["OceanEngineSettings"]


class OceanEngineSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_OCEAN_ENGINE_", extra="ignore")

    base_url: str = Field(
        "https://ad.oceanengine.com", description="Marketing API root (also the OAuth root)."
    )
    app_id: str | None = Field(None, description="Developer app id (应用 ID), needed to refresh tokens.")
    app_secret: SecretStr | None = Field(None, description="Developer app secret, needed to refresh tokens.")
    advertiser_ids: StrList = Field(
        default_factory=list, description="Advertiser ids (广告主 ID) to pull leads for; JSON list or a,b,c."
    )
    page_size: int = Field(100, ge=1, le=100, description="Leads per page; the API allows at most 100.")

    @field_validator("advertiser_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return split_list(value)

    def account_list(self) -> list[str]:
        return [str(a) for a in self.advertiser_ids]
