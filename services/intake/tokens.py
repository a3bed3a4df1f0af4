"""The OAuth token store on the ``oauth_tokens`` table (connectors.base.TokenStore).

Each save commits on its own, at once: a vendor that rotates refresh tokens (Ocean Engine) has
already invalidated the old pair, so the new one must survive a crash of the pull that fetched it.

Tokens are encrypted at rest (Fernet, key ``SYNCHUB_TOKEN_KEY`` or the file ``token_key_file``): a copy
of the database or a backup does not hand out access to the company's ad accounts. A stored value
without the ``fernet:`` mark was written before encryption; it is read as it is and sealed at its next
save. Without a key, reading an empty store still works; sealing or opening a token is a
:class:`ConfigError` that says what to set.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.capture import lock_chain
from connectors.base import TokenPair
from core.errors import ConfigError
from core.models import OAuthToken
from core.settings import HubSettings, get_settings
from store.engine import session_scope

__all__ = ["DatabaseTokenStore", "generate_token_key_file", "token_cipher"]

MARK = "fernet:"


def token_cipher(settings: HubSettings | None = None) -> Fernet:
    settings = settings or get_settings()
    path = settings.token_key_file
    if settings.token_key is not None:
        key = settings.token_key.get_secret_value()
    elif path.exists():
        key = path.read_text(encoding="ascii").strip()
    else:
        raise ConfigError(
            f"OAuth tokens are stored encrypted: set SYNCHUB_TOKEN_KEY or run `synchub tokens keygen` to "
            f"create {path} (every process that pulls needs the same key)"
        )
    try:
        return Fernet(key)
    except ValueError:
        raise ConfigError("the token key is not a Fernet key (urlsafe base64 of 32 bytes)") from None


def generate_token_key_file(path: Path) -> None:
    """Write a new Fernet key (mode 0600); never overwrites one."""
    if path.exists():
        raise ConfigError(f"{path} exists already; refusing to overwrite the key of the stored tokens")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(Fernet.generate_key() + b"\n")


def _seal(value: str | None) -> str | None:
    return None if value is None else MARK + token_cipher().encrypt(value.encode()).decode()


def _open(value: str | None, where: str) -> str | None:
    if value is None or not value.startswith(MARK):
        return value
    try:
        return token_cipher().decrypt(value[len(MARK) :].encode()).decode()
    except InvalidToken:
        raise ConfigError(
            f"the stored OAuth token of {where} does not open with this token key: it was sealed with "
            "another one (every process that pulls needs the same SYNCHUB_TOKEN_KEY)"
        ) from None


class DatabaseTokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load(self, connector: str, account: str) -> TokenPair | None:
        with session_scope(self.engine) as s:
            row = s.scalars(
                select(OAuthToken).where(OAuthToken.connector == connector, OAuthToken.account == account)
            ).one_or_none()
            if row is None:
                return None
            where = f"{connector}/{account}"
            access = _open(row.access_token, where) or ""
            return TokenPair(access, _open(row.refresh_token, where), row.expires_at)

    def save(self, connector: str, account: str, pair: TokenPair) -> None:
        with session_scope(self.engine) as s:
            lock_chain(s)  # serialise with other workers saving the same pair
            row = s.scalars(
                select(OAuthToken).where(OAuthToken.connector == connector, OAuthToken.account == account)
            ).one_or_none()
            access = _seal(pair.access_token) or ""
            if row is None:
                row = OAuthToken(connector=connector, account=account, access_token=access)
                s.add(row)
            row.access_token, row.refresh_token, row.expires_at = (
                access,
                _seal(pair.refresh_token),
                pair.expires_at,
            )
