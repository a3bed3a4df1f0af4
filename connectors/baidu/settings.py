"""Settings of the Baidu connector (environment prefix ``SYNCHUB_BAIDU_``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings, StrList, split_list

__all__ = ["BaiduSettings"]


class BaiduSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_BAIDU_", extra="ignore")

    base_url: str = Field("https://api.baidu.com", description="API root of the JSON services.")
    oauth_base_url: str = Field(
        "https://u.baidu.com", description="Root of the OAuth service that refreshes access tokens."
    )
    app_id: str | None = Field(None, description="Developer app id (appId), needed to refresh tokens.")
    secret_key: SecretStr | None = Field(
        None, description="Developer app secret (secretKey), to refresh tokens."
    )
    user_id: str | None = Field(
        None, description="Id (ucid) of the authorising user, sent as a number in the token refresh."
    )
    user_names: StrList = Field(
        default_factory=list,
        description="Account user names (userName) to pull leads for; JSON list or a,b,c.",
    )
    solution_type: str = Field(
        "form",
        description="Lead component type sent as body.solutionType, one per query: form, phone, consult, "
        "wechat, callback or follow (values from public clients, not from Baidu's SDK).",
    )
    page_size: int = Field(
        100, ge=1, le=1000, description="Leads per page (body.pageSize; Baidu publishes no maximum)."
    )

    @field_validator("user_names", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return split_list(value)

    @field_validator("oauth_base_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.rstrip("/")

    def account_list(self) -> list[str]:
        return list(self.user_names)
