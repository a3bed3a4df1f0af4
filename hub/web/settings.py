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
        description="TOML file of console users (argon2id hashes); `synchub users add` writes it.",
    )
    revoked_sessions_file: Path | None = Field(
        None,
        description="Session ids ended by logout, kept until their cookies expire (shared by every console "
        "process, written by the console); default: web_revoked_sessions.json beside the users file.",
    )
    prefect_ui_url: str | None = Field(
        None,
        description="Base URL of the Prefect UI that the Flows page links into; default: the server "
        "`synchub serve` started, else PREFECT_API_URL without /api, else http://127.0.0.1:4200.",
    )
    session_hours: float = Field(8.0, gt=0, le=24 * 7, description="Lifetime of a login session, in hours.")
    cookie_secure: bool = Field(
        False,
        description="Always mark cookies Secure. Without it they are Secure whenever the request came over "
        "HTTPS: directly, or per X-Forwarded-Proto from a proxy in trusted_proxies.",
    )
    trusted_proxies: list[str] = Field(
        ["127.0.0.1", "::1"],
        description="Addresses or networks (CIDR) of the reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; from any other peer those headers are ignored. [] trusts none.",
    )
    lockout_failures: int = Field(5, ge=1, description="Failed logins in a row that lock an account.")
    lockout_minutes: float = Field(15.0, gt=0, description="How long a locked account stays locked.")
    login_address_failures: int = Field(
        20,
        ge=1,
        description="Failed logins from one client address, within login_address_minutes, "
        "after which that address is refused (429) until the oldest of them ages out.",
    )
    login_address_minutes: float = Field(10.0, gt=0, description="Window of login_address_failures.")
    login_concurrency: int = Field(
        1,
        ge=1,
        le=64,
        description="Password checks running at once per process (each takes one core for up to "
        "~0.1 s, in a worker thread, never on the event loop); 1 leaves the other core to the API.",
    )
    login_queue: int = Field(
        32,
        ge=0,
        le=10_000,
        description="Logins allowed to wait for a password check; beyond that a "
        "login is answered 503 at once.",
    )

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

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    f"SYNCHUB_WEB_TRUSTED_PROXIES: {item!r} is not an address or network"
                ) from None
        return value
