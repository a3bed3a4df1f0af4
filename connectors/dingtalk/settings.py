"""Settings of the DingTalk custom-robot client (environment prefix ``SYNCHUB_DINGTALK_``)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.redaction import register_secret
from connectors.settings import ConnectorSettings

__all__ = ["DingTalkRobot", "DingTalkSettings"]


class DingTalkRobot(BaseModel):
    access_token: SecretStr = Field(description="The robot webhook's access_token.")
    secret: SecretStr = Field(description="The robot's signing secret (SEC...), 加签.")


class DingTalkSettings(ConnectorSettings):
    """Robots by name: ``SYNCHUB_DINGTALK_ROBOTS={"ortho": {"access_token": "…", "secret": "SEC…"}}``."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_DINGTALK_", extra="ignore")

    base_url: str = Field("https://oapi.dingtalk.com", description="DingTalk open API root.")
    robots: dict[str, DingTalkRobot] = Field(default_factory=dict, description="Custom robots by name.")
    per_minute: int = Field(20, ge=1, description="Messages a minute one robot accepts (DingTalk: 20).")
    retry_max_attempts: int = Field(3, ge=1, description="Attempts per message (network and 5xx only).")

    def model_post_init(self, context: object, /) -> None:
        super().model_post_init(context)
        for robot in self.robots.values():
            register_secret(robot.access_token.get_secret_value())
            register_secret(robot.secret.get_secret_value())
