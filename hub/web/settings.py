"""Settings of the web console (environment prefix ``SYNCHUB_WEB_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from core.secret_blocks import SynchubSettings

__all__ = ["WebSettings"]

MIN_SECRET_LENGTH = 32


class WebSettings(SynchubSettings):
    """What the console needs beyond the hub's own settings: the session secret, users and links."""

    model_config = SettingsConfigDict(env_prefix="SYNCHUB_WEB_", extra="ignore")

    secret: SecretStr | None = Field(
        None,
        description="Signs session cookies and CSRF tokens (at least 32 characters); the console refuses "
        "to start without it. Changing it logs everybody out.",
    )
    users_file: Path = Field(
        Path("./var/web_users.toml"),
        description="TOML file of console users (salted scrypt hashes); `synchub users add` writes it.",
    )
    prefect_ui_url: str | None = Field(
        None,
        description="Base URL of the Prefect UI that the Flows page links into; default: the server "
        "`synchub serve` started, else PREFECT_API_URL without /api, else http://127.0.0.1:4200.",
    )
    session_hours: float = Field(8.0, gt=0, le=24 * 7, description="Lifetime of a login session, in hours.")
    cookie_secure: bool = Field(
        False, description="Send cookies over HTTPS only (turn on behind a TLS-terminating proxy)."
    )
    lockout_failures: int = Field(5, ge=1, description="Failed logins in a row that lock an account.")
    lockout_minutes: float = Field(15.0, gt=0, description="How long a locked account stays locked.")

    def prefect_ui(self) -> str:
        """The Prefect UI to link into (see ``prefect_ui_url``)."""
        import os

        from core.settings import get_settings
        from flows.server import recorded_ui_url

        api_url = os.environ.get("PREFECT_API_URL", "")
        return (
            self.prefect_ui_url
            or recorded_ui_url(get_settings().var_dir)
            or (api_url.removesuffix("/").removesuffix("/api") if api_url else "http://127.0.0.1:4200")
        )

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(f"SYNCHUB_WEB_SECRET needs at least {MIN_SECRET_LENGTH} characters")
        return value
