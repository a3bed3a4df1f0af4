"""Settings of the WeCom group-robot client (environment prefix ``SYNCHUB_WECOM_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["WeComSettings"]


class WeComSettings(ConnectorSettings):
    """Robots by name, e.g. ``SYNCHUB_WECOM_ROBOTS='{"ortho": "693a91f6-…"}'`` (the webhook key)."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_WECOM_", extra="ignore")

    base_url: str = Field("https://qyapi.weixin.qq.com", description="WeCom API root.")
    robots: dict[str, SecretStr] = Field(
        default_factory=dict, description="Webhook key of each robot, by name."
    )
    per_minute: int = Field(20, ge=1, description="Messages a minute one robot accepts (WeCom: 20).")
    retry_max_attempts: int = Field(3, ge=1, description="Attempts per message (network and 5xx only).")

    def model_post_init(self, context: object, /) -> None:
        super().model_post_init(context)
        from connectors.redaction import register_secret

        for key in self.robots.values():
            register_secret(key.get_secret_value())
