"""Settings of the HTTP API (``synchub serve-api``), environment prefix ``SYNCHUB_API_``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.secret_blocks import SynchubSettings

__all__ = ["ApiSettings"]


class ApiSettings(SynchubSettings):
    """Who may call the API: client tokens, and whether the monitoring endpoints are public."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_API_", extra="ignore")

    tokens_file: Path = Field(
        Path("./var/api_tokens.toml"),
        description="TOML file of API client tokens (SHA-256 digests, names, roles); "
        "`synchub api-tokens add` writes it, the API re-reads it when it changes.",
    )
    metrics_public: bool = Field(
        False, description="Serve /metrics without a token (default: a token with the monitor role)."
    )
    schema_public: bool = Field(
        False,
        description="Serve /openapi.json without a token (default: a token with the monitor role). "
        "The API serves no /docs page.",
    )
    max_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        description="Largest request body of the endpoints without their own limit (the web-form and "
        "contract hooks use theirs); counted while it streams, 413 past it.",
    )
