"""Settings shared by every HTTP connector; each connector subclasses :class:`ConnectorSettings` with
its own ``SYNCHUB_<NAME>_`` environment prefix, its credentials (``SecretStr``) and its accounts.

Sources, highest first: init arguments, environment variables, then the connector's table of
``synchub.toml`` (``SYNCHUB_KINGDEE_`` -> ``[kingdee]``, :mod:`core.config_file`). ``base_url`` defaults
to the real vendor, so a connector is pointed at the sandbox (or back) by settings alone. Lists can be
given in the environment as JSON (``[1, 2]``) or comma-separated (``1,2``), in the file as TOML lists.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from connectors.redaction import register_secret
from core.secret_blocks import SynchubSettings

__all__ = ["ConnectorSettings", "StrList", "split_list"]


def split_list(value: Any) -> Any:
    """Accept a JSON list or a comma-separated string (environment) or a list; items become text."""
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith("["):
            return [part.strip() for part in text.split(",") if part.strip()]
        value = json.loads(text)
    if isinstance(value, list | tuple):
        return [str(item) for item in value]  # ids may come as numbers
    return value


StrList = Annotated[list[str], NoDecode]


class ConnectorSettings(SynchubSettings):
    """Transport, retry and incremental settings common to every HTTP connector."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_CONNECTOR_", extra="ignore")

    base_url: str = Field("https://example.invalid", description="Vendor API root, no trailing slash.")
    access_token: SecretStr | None = Field(
        None, description="Initial access token, used until the token store holds a newer one."
    )
    refresh_token: SecretStr | None = Field(
        None, description="Initial refresh token, used until the token store holds a newer one."
    )
    token_owner: str = Field(
        "default",
        description="Key under which the token pair is kept in the token store (one pair per connector).",
    )
    page_size: int = Field(100, ge=1, le=1000, description="Records requested per page.")
    max_pages: int = Field(10_000, ge=1, description="Safety limit of pages per time window.")
    start_date: datetime | None = Field(
        None, description="Lower bound of the first pull (no saved cursor); default: now minus lookback."
    )
    initial_lookback_days: int = Field(
        30, ge=0, description="Days pulled on the first run without start_date."
    )
    lag_seconds: float = Field(
        0.0, ge=0, description="Re-read this many seconds before the cursor, for late-arriving records."
    )
    timeout_connect: float = Field(5.0, gt=0, description="Seconds to open a connection.")
    timeout_read: float = Field(30.0, gt=0, description="Seconds to wait for response bytes.")
    timeout_write: float = Field(30.0, gt=0, description="Seconds to send the request.")
    timeout_pool: float = Field(10.0, gt=0, description="Seconds to wait for a free pooled connection.")
    max_connections: int = Field(10, ge=1, description="Connections open at once per client.")
    max_keepalive_connections: int = Field(5, ge=0, description="Idle connections kept for reuse.")
    trust_env: bool = Field(
        True, description="Honour HTTP(S)_PROXY, NO_PROXY and SSL_CERT_FILE from the environment."
    )
    retry_max_attempts: int = Field(5, ge=1, description="Attempts per request, the first one included.")
    retry_initial_wait: float = Field(0.5, ge=0, description="First backoff in seconds (doubles each retry).")
    retry_max_wait: float = Field(30.0, ge=0, description="Longest single backoff in seconds.")
    retry_max_total_delay: float = Field(
        120.0, ge=0, description="Give up once the retries of one request would wait longer than this."
    )
    retry_after_max: float = Field(
        300.0, ge=0, description="Longest Retry-After (or vendor hint) honoured, in seconds."
    )

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def model_post_init(self, context: Any, /) -> None:
        for value in self.__dict__.values():
            if isinstance(value, SecretStr):
                register_secret(value.get_secret_value())

    def account_list(self) -> list[str]:
        """The accounts this connector pulls for, as text; vendor subclasses override."""
        return []

    def unset(self, *fields: str) -> list[str]:
        """The environment variables (``SYNCHUB_YONYOU_APP_KEY``) of ``fields`` that have no value, so an
        error can name exactly what to set."""
        prefix = str(self.model_config.get("env_prefix", ""))
        return [f"{prefix}{name}".upper() for name in fields if getattr(self, name) in (None, "")]

    def credentials_missing(self) -> list[str]:
        """What must still be set before the connector can authenticate; vendor subclasses override."""
        return []
