"""Console users: a TOML file of names, roles and argon2id hashes, re-read when it changes.

::

    [users.zhang]
    display_name = "张伟"
    roles = ["admin"]
    password = "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"   # older files: "scrypt$16384$8$1$..."
    disabled = false

``synchub users add|passwd|disable`` edits the file; a running console sees the change on the next
request (a disabled user is logged out at once, a changed password ends the user's sessions). A login
with an old scrypt hash rewrites it as argon2id (:meth:`UserStore.upgrade_hash`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace

from core.errors import ConfigError, InputError, NotFoundError
from hub.web.filelock import CachedStateFile, locked
from hub.web.passwords import burn_time, hash_password, verify_password

__all__ = ["ROLES", "ROLE_LABELS", "User", "UserStore", "burn_time", "hash_password", "verify_password"]

ROLES = ("admin", "auditor", "finance", "ops", "sales_manager")
ROLE_LABELS = {
    "admin": "管理员",
    "auditor": "审计",
    "finance": "财务",
    "ops": "运维",
    "sales_manager": "销售经理",
}
MIN_PASSWORD = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]
    password_hash: str
    display_name: str = ""
    disabled: bool = False

    @property
    def label(self) -> str:
        return self.display_name or self.name

    @property
    def stamp(self) -> str:
        """Changes when the password does: sessions carry it, so a new password ends old sessions."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(
            f"user name {name!r}: use 1-40 of a-z, 0-9, '.', '_', '-' (starting with a letter/digit)"
        )
    return name


def _check_roles(roles: list[str] | frozenset[str]) -> frozenset[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise InputError(f"roles must be some of {', '.join(ROLES)} (got {', '.join(unknown) or 'none'})")
    return frozenset(roles)


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


class UserStore(CachedStateFile[User]):
    """The users file, cached and re-read when its modification time or size changes."""

    def _parse(self) -> dict[str, User]:
        try:
            raw = tomllib.loads(self.path.read_text(encoding="utf-8")).get("users", {})
            return {
                name: User(
                    _check_name(name),
                    _check_roles(list(entry.get("roles", []))),
                    str(entry["password"]),
                    str(entry.get("display_name", "")),
                    bool(entry.get("disabled", False)),
                )
                for name, entry in raw.items()
            }
        except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError, InputError) as exc:
            raise ConfigError(f"{self.path}: not a valid users file: {exc}") from None

    def get(self, name: str) -> User | None:
        with self._lock:
            return self._load().get(name)

    def all(self) -> list[User]:
        with self._lock:
            return sorted(self._load().values(), key=lambda u: u.name)

    def add(self, name: str, roles: list[str], password: str, display_name: str = "") -> User:
        user = User(
            _check_name(name), _check_roles(roles), hash_password(_check_password(password)), display_name
        )
        with self._lock, locked(self.path):
            users = dict(self._load())
            if name in users:
                raise InputError(f"user {name!r} exists already; use `synchub users passwd`")
            users[name] = user
            self._save(users)
        return user

    def update(self, name: str, *, password: str | None = None, disabled: bool | None = None) -> User:
        with self._lock, locked(self.path):
            users = dict(self._load())
            if name not in users:
                raise NotFoundError(f"no console user {name!r} in {self.path}")
            user = users[name]
            if password is not None:
                user = replace(user, password_hash=hash_password(_check_password(password)))
            if disabled is not None:
                user = replace(user, disabled=disabled)
            users[name] = user
            self._save(users)
        return user

    def upgrade_hash(self, name: str, old_hash: str, new_hash: str) -> User | None:
        """Swap a user's hash for a stronger one of the same password, unless it changed meanwhile
        (a `synchub users passwd` wins). Returns the updated user, or None when nothing was swapped."""
        with self._lock, locked(self.path):
            users = dict(self._load())
            user = users.get(name)
            if user is None or user.password_hash != old_hash:
                return None
            users[name] = user = replace(user, password_hash=new_hash)
            self._save(users)
        return user

    def _save(self, users: dict[str, User]) -> None:
        lines = ["# SyncHub console users; edit with `synchub users add|passwd|disable`.", ""]
        for user in sorted(users.values(), key=lambda u: u.name):
            lines += [
                f"[users.{json.dumps(user.name)}]",
                f"display_name = {json.dumps(user.display_name, ensure_ascii=False)}",
                f"roles = {json.dumps(sorted(user.roles))}",
                f"password = {json.dumps(user.password_hash)}",
                f"disabled = {'true' if user.disabled else 'false'}",
                "",
            ]
        self._write(lines)
