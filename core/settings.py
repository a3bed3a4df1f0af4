"""Hub settings: environment variables with the ``SYNCHUB_`` prefix, then ``synchub.toml``, then defaults.

Precedence (highest first) is pinned by ``tests/test_settings.py``: init arguments, environment,
``.env`` is not read, the top-level keys of ``synchub.toml`` in the working directory (or the file
named by ``SYNCHUB_CONFIG``; every settings class reads it, see :mod:`core.config_file`), defaults.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from core.secret_blocks import SynchubSettings

DEFAULT_SQLITE_URL = "sqlite:///./var/synchub.db"


class HubSettings(SynchubSettings):
    """Settings of the hub itself; each connector has its own settings class."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_", extra="ignore")

    database_url: str = Field(
        DEFAULT_SQLITE_URL,
        description="SQLAlchemy URL of the hub store; SQLite (WAL) by default, PostgreSQL in production.",
    )
    database_echo: bool = Field(
        False, description="Log every SQL statement (debugging only); parameters are never logged."
    )
    default_actor: str = Field(
        "system", description="Ledger actor used when no user or flow run is set in the audit context."
    )
    audit_signing_key: SecretStr | None = Field(
        None,
        description="Ed25519 private key for ledger checkpoints: PEM text or base64 of the 32 raw bytes.",
    )
    audit_signing_key_file: Path = Field(
        Path("./var/audit_ed25519.pem"),
        description="File holding the Ed25519 private key (PEM) when audit_signing_key is not set.",
    )
    audit_trusted_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Ed25519 public keys (hex of the 32 raw bytes, comma-separated) whose checkpoints "
        "`synchub audit verify` accepts besides the current signing key's; list keys rotated out here.",
    )
    audit_pii_key: SecretStr | None = Field(
        None,
        description="Secret (base64 of 32 bytes) keying the MAC over every personal value the ledger "
        "stores, so edits to them are detected; the same on every host that writes.",
    )
    audit_pii_key_file: Path | None = Field(
        None,
        description="File holding audit_pii_key when it is not set; default VAR_DIR/audit_pii.key, "
        "created (0600) at the first write when missing.",
    )
    token_key: SecretStr | None = Field(
        None,
        description="Fernet key (urlsafe base64 of 32 bytes) that encrypts OAuth tokens in the store; "
        "every process that pulls (serve, each worker) needs the same one.",
    )
    token_key_file: Path = Field(
        Path("./var/token_fernet.key"),
        description="File holding the token key when token_key is not set (`synchub tokens keygen`).",
    )
    var_dir: Path = Field(Path("./var"), description="Folder for local state (SQLite file, keys, exports).")
    ops_robot: str | None = Field(
        None, description="Robot (by name) told when a source falls silent; without one it is only logged."
    )
    ops_channel: Literal["dingtalk", "wecom"] = Field("dingtalk", description="Channel of ops_robot.")

    @field_validator("audit_trusted_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        """``KEY1,KEY2`` (or spaces) from the environment; a list from synchub.toml as it is."""
        if isinstance(value, str):
            return [part for part in value.replace(",", " ").split() if part]
        return value


@lru_cache(maxsize=1)
def get_settings() -> HubSettings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing the env."""
    return HubSettings()
