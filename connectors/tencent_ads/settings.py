"""Settings of the Tencent Ads connector (environment prefix ``SYNCHUB_TENCENT_ADS_``)."""

from __future__ import annotations

from typing import Any, Literal

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
    api_version: Literal["v3.0", "v1.3"] = Field(
        "v3.0",
        description="v3.0: GET /v3.0/leads_list/get (current); v1.3: POST /v1.3/lead_clues/get (older).",
    )
    time_type: Literal["TIME_TYPE_CREATED_TIME", "TIME_TYPE_ACTION_TIME"] = Field(
        "TIME_TYPE_CREATED_TIME",
        description="Which lead time the window filters on: entry into Tencent's store (default: a late "
        "lead is still pulled) or the form's submit time.",
    )
    page_size: int = Field(100, ge=1, le=200, description="Leads per page; v3.0 allows at most 200.")

    @field_validator("account_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return split_list(value)

    def account_list(self) -> list[str]:
        return [str(a) for a in self.account_ids]
