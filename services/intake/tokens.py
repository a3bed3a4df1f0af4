"""The OAuth token store on the ``oauth_tokens`` table (connectors.base.TokenStore).

Each save commits on its own, at once: a vendor that rotates refresh tokens (Ocean Engine) has
already invalidated the old pair, so the new one must survive a crash of the pull that fetched it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.capture import lock_chain
from connectors.base import TokenPair
from core.models import OAuthToken
from store.engine import session_scope

__all__ = ["DatabaseTokenStore"]


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
            return TokenPair(row.access_token, row.refresh_token, row.expires_at)

    def save(self, connector: str, account: str, pair: TokenPair) -> None:
        with session_scope(self.engine) as s:
            lock_chain(s)  # serialise with other workers saving the same pair
            row = s.scalars(
                select(OAuthToken).where(OAuthToken.connector == connector, OAuthToken.account == account)
            ).one_or_none()
            if row is None:
                row = OAuthToken(connector=connector, account=account, access_token=pair.access_token)
                s.add(row)
            row.access_token, row.refresh_token, row.expires_at = (
                pair.access_token,
                pair.refresh_token,
                pair.expires_at,
            )
