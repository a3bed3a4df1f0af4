"""Settings of the Amap geocoding client (environment prefix ``SYNCHUB_AMAP_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from connectors.settings import ConnectorSettings

__all__ = ["AmapSettings"]


class AmapSettings(ConnectorSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_AMAP_", extra="ignore")

    base_url: str = Field("https://restapi.amap.com", description="Amap Web Service root.")
    key: SecretStr | None = Field(
        None, description="Web Service key (Key); Amap requires it in the query string."
    )
    private_key: SecretStr | None = Field(
        None, description="Digital-signature private key (私钥), when the key has signing switched on."
    )
    qps: float = Field(
        3.0,
        gt=0,
        description="Requests per second allowed by the key's tier; one budget for the whole process.",
    )
    burst: int = Field(1, ge=1, description="Requests that may go at once after a quiet spell.")
    batch_size: int = Field(10, ge=1, le=10, description="Addresses per request (Amap allows at most 10).")
    retry_max_total_delay: float = Field(
        30.0, ge=0, description="Give up once the retries of one request would wait longer than this."
    )
