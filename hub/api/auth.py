"""API clients: one bearer token per client, with roles, kept as SHA-256 digests in a TOML file.

::

    [tokens.3f9c0a1b2c4d]          # the token's id: the public part of the token
    name = "crm"                    # the client, as the ledger names it: actor "api:crm"
    roles = ["routing_write", "routing_read"]
    digest = "sha256:<hex of SHA-256 of the whole token>"
    created_at = "2026-11-20T10:21:33+00:00"
    revoked = false

A token reads ``shk_<id>_<secret>`` (43 random URL-safe characters of secret), is shown once by
``synchub api-tokens add`` and sent as ``Authorization: Bearer <token>``. A digest is enough (no
slow hash): the secret is random, 256 bits, never a password. The file is re-read when it changes,
so a new or revoked token counts on the next request of every worker.

Bearer tokens are never sent by a browser on its own, and the API answers no CORS preflight, so a
cross-origin page cannot call it with anyone's credentials; the API never reads the console cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.errors import ConfigError, InputError, NotFoundError
from hub.web.filelock import CachedStateFile, locked

__all__ = ["API_ROLES", "ApiCaller", "ApiToken", "TokenStore", "require_token"]

log = logging.getLogger("synchub.api")
API_ROLES = {
    "routing_write": "POST /routing/leads/{id}/contacted",
    "routing_read": "GET /routing/leads/{id}/explain",
    "monitor": "GET /metrics and /openapi.json (unless made public)",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_TOKEN = re.compile(r"^shk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
bearer = HTTPBearer(auto_error=False, description="An API client token: `synchub api-tokens add`.")


@dataclass(frozen=True)
class ApiToken:
    key_id: str
    name: str
    roles: frozenset[str]
    digest: str
    created_at: str
    revoked: bool = False


@dataclass(frozen=True)
class ApiCaller:
    name: str
    key_id: str
    roles: frozenset[str]

    @property
    def actor(self) -> str:
        """How the ledger names this caller."""
        return f"api:{self.name}"


def _digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


class TokenStore(CachedStateFile[ApiToken]):
    """The tokens file, cached and re-read when its modification time or size changes."""

    def _parse(self) -> dict[str, ApiToken]:
        try:
            raw = tomllib.loads(self.path.read_text(encoding="utf-8")).get("tokens", {})
            return {
                str(key_id): ApiToken(
                    str(key_id),
                    str(e["name"]),
                    frozenset(e["roles"]),
                    str(e["digest"]),
                    str(e.get("created_at", "")),
                    bool(e.get("revoked", False)),
                )
                for key_id, e in raw.items()
            }
        except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{self.path}: not a valid API tokens file: {exc}") from None

    def all(self) -> list[ApiToken]:
        with self._lock:
            return sorted(self._load().values(), key=lambda t: (t.name, t.created_at))

    def check(self, token: str) -> ApiCaller | None:
        """The caller a token stands for, or None (unknown, revoked, malformed)."""
        found = _TOKEN.match(token)
        if not found:
            return None
        with self._lock:
            entry = self._load().get(found.group(1))
        if entry is None or entry.revoked or not hmac.compare_digest(entry.digest, _digest(token)):
            return None
        return ApiCaller(entry.name, entry.key_id, entry.roles)

    def add(self, name: str, roles: list[str]) -> tuple[ApiToken, str]:
        """A new token for client ``name``: the entry and the token itself (shown once, never stored)."""
        if not _NAME.match(name):
            raise InputError(f"client name {name!r}: use 1-40 of a-z, 0-9, '.', '_', '-'")
        unknown = sorted(set(roles) - set(API_ROLES))
        if unknown or not roles:
            raise InputError(
                f"roles must be some of {', '.join(API_ROLES)} (got {', '.join(unknown) or 'none'})"
            )
        key_id = secrets.token_hex(6)
        token = f"shk_{key_id}_{secrets.token_urlsafe(32)}"
        created = datetime.now(UTC).isoformat(timespec="seconds")
        entry = ApiToken(key_id, name, frozenset(roles), _digest(token), created)
        with self._lock, locked(self.path):
            tokens = dict(self._load())
            tokens[key_id] = entry
            self._save(tokens)
        return entry, token

    def revoke(self, key_id: str) -> ApiToken:
        with self._lock, locked(self.path):
            tokens = dict(self._load())
            if key_id not in tokens:
                raise NotFoundError(f"no API token {key_id!r} in {self.path}")
            tokens[key_id] = entry = replace(tokens[key_id], revoked=True)
            self._save(tokens)
        return entry

    def _save(self, tokens: dict[str, ApiToken]) -> None:
        lines = ["# SyncHub API client tokens (digests only); edit with `synchub api-tokens`.", ""]
        for t in sorted(tokens.values(), key=lambda t: t.key_id):
            lines += [
                f"[tokens.{json.dumps(t.key_id)}]",
                f"name = {json.dumps(t.name)}",
                f"roles = {json.dumps(sorted(t.roles))}",
                f"digest = {json.dumps(t.digest)}",
                f"created_at = {json.dumps(t.created_at)}",
                f"revoked = {'true' if t.revoked else 'false'}",
                "",
            ]
        self._write(lines)


def require_token(store: TokenStore, *roles: str) -> Callable[..., ApiCaller]:
    """A dependency: the caller of a valid token holding one of ``roles``; else 401 or 403."""
    wanted = frozenset(roles)

    def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
    ) -> ApiCaller:
        if credentials is None:
            raise HTTPException(401, "an API token is needed: Authorization: Bearer <token>",
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        caller = store.check(credentials.credentials)
        if caller is None:
            log.info("API token refused on %s %s", request.method, request.url.path)
            raise HTTPException(401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"})
        if not wanted & caller.roles:
            raise HTTPException(
                403, f"this token's client needs one of the roles: {', '.join(sorted(wanted))}"
            )
        return caller

    return dependency
