"""Settings of the Tencent Ads connector (environment prefix ``SYNCHUB_TENCENT_ADS_``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings, StrList, split_list

__all__ = ["TencentAdsSettings"]


class TencentAdsSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_TENCENT_ADS_", extra="ignore")

    base_url: str = Field("https://api.e.qq.com", description="Marketing API root (also the OAuth root).")
    client_id: str | None = Field(None, description="App id (应用 ID, client_id), needed to refresh tokens.")
    client_secret: SecretStr | None = Field(
        None, description="App secret (client_secret), to refresh tokens."
    )
    account_ids: StrList = Field(
        default_factory=list,
        description="Advertiser account ids (推广帐号 ID) to pull leads for; JSON list or a,b,c.",
    )
    page_size: int = Field(100, ge=1, le=100, description="Leads per page; the API allows at most 100.")

    @field_validator("account_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return split_list(value)

    def account_list(self) -> list[str]:
        return [str(a) for a in self.account_ids]
