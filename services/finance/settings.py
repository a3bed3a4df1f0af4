"""Finance settings (environment prefix ``SYNCHUB_FINANCE_``): which ERP, the outbox's retry policy,
alert thresholds and recipients, and the contract intake API's per-client secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.secret_blocks import SynchubSettings

__all__ = ["ContractApiSettings", "ErpSystem", "FinanceSettings"]

ErpSystem = Literal["kingdee", "yonyou"]


class FinanceSettings(SynchubSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_FINANCE_", extra="ignore")

    erp: ErpSystem = Field("kingdee", description="ERP that receives new contracts' receivables.")
    mapping_dir: Path | None = Field(
        None, description="Folder with <erp>.toml files overriding the packaged ERP code mappings."
    )
    max_attempts: int = Field(8, ge=1, description="Push attempts per outbox message before it is dead.")
    backoff_initial: float = Field(
        2.0, ge=0, description="Seconds before the 2nd attempt; doubles each time."
    )
    backoff_max: float = Field(600.0, ge=0, description="Longest wait between two attempts, in seconds.")
    lease_seconds: float = Field(
        120.0, gt=0, description="How long a claimed message stays with its worker before others may take it."
    )
    batch_size: int = Field(20, ge=1, le=500, description="Messages claimed per round of the push loop.")
    not_invoiced_days: int = Field(7, ge=0, description="Alert when not invoiced this many days after due.")
    finance_recipients: list[str] = Field(
        default_factory=lambda: ["finance"], description="Who gets every finance alert besides the owner."
    )
    alert_send_attempts: int = Field(5, ge=1, description="Sends of one alert before it is left failed.")
    alert_channel: Literal["dingtalk", "wecom"] = Field(
        "dingtalk", description="Robot channel for finance alerts (logged only while it has no robot)."
    )
    alert_robots: dict[str, str] = Field(
        default_factory=dict,
        description="Person -> robot name, as JSON (SYNCHUB_FINANCE_ALERT_ROBOTS); "
        "a person without an entry goes to the robot of the same name.",
    )


class ContractApiSettings(SynchubSettings):
    """``POST /hooks/contracts/{client_id}``, signed like the web-form webhook."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_CONTRACT_API_", extra="ignore")

    secrets: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='Client id -> HMAC secret, as JSON: SYNCHUB_CONTRACT_API_SECRETS=\'{"crm": "..."}\'.',
    )
    max_body_bytes: int = Field(256 * 1024, description="Larger bodies are refused with 413.")
    window_seconds: int = Field(300, description="Accepted clock skew of X-SyncHub-Timestamp, both ways.")
