"""Web-form webhook settings: one secret per form, body limit, replay window."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.secret_blocks import SynchubSettings

__all__ = ["WebFormSettings"]


class WebFormSettings(SynchubSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_WEBFORM_", extra="ignore")

    secrets: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='Form id -> HMAC secret, as JSON: SYNCHUB_WEBFORM_SECRETS=\'{"contact-us": "..."}\'.',
    )
    max_body_bytes: int = Field(64 * 1024, description="Larger bodies are refused with 413.")
    window_seconds: int = Field(300, description="Accepted clock skew of X-SyncHub-Timestamp, both ways.")
