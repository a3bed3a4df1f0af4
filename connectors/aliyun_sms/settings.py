"""Settings of the Alibaba Cloud SMS client (environment prefix ``SYNCHUB_ALIYUN_SMS_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["AliyunSmsSettings"]


class AliyunSmsSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_ALIYUN_SMS_", extra="ignore")

    base_url: str = Field("https://dysmsapi.aliyuncs.com", description="dysmsapi endpoint.")
    access_key_id: str | None = Field(None, description="AccessKey ID of a RAM user allowed to send SMS.")
    access_key_secret: SecretStr | None = Field(None, description="AccessKey secret of that user.")
    sign_name: str = Field("", description="Approved SMS signature (签名), e.g. the company's short name.")
    templates: dict[str, str] = Field(
        default_factory=dict, description="Hub event -> approved template code (SMS_…), e.g. high_budget."
    )
    per_minute: int = Field(1, ge=1, description="SMS a minute to one number (provider default: 1).")
    per_hour: int = Field(5, ge=1, description="SMS an hour to one number (provider default: 5).")
    per_day: int = Field(10, ge=1, description="SMS a day to one number (provider default: 10).")
    retry_max_attempts: int = Field(3, ge=1, description="Attempts per SMS (network, 5xx, Throttling.User).")
