"""What every request handler of the console shares: the console's state, the viewer, the errors.

:class:`Console` lives on ``app.state.console``; :func:`viewer` and :func:`require` are the FastAPI
dependencies that make a page need a login and one of its roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from jinja2 import Environment
from sqlalchemy.engine import Engine

from audit.context import audit_context
from core.settings import HubSettings
from hub.web.login import Client, HashGate, Network, client_of
from hub.web.security import AddressThrottle, LoginLimiter, Session, Signer
from hub.web.sessions import RevokedSessions
from hub.web.settings import WebSettings
from hub.web.users import User, UserStore

__all__ = [
    "COOKIE",
    "PAGES",
    "Console",
    "Forbidden",
    "LoginRequired",
    "Page",
    "Viewer",
    "base_path",
    "client",
    "console_of",
    "is_api",
    "require",
    "route_path",
    "viewer",
]

COOKIE = "synchub_session"


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    roles: frozenset[str]


PAGES = (
    Page("review", "合并审核", frozenset({"admin"})),
    Page("audit", "审计", frozenset({"auditor"})),
    Page("receivables", "应收账款", frozenset({"finance"})),
    Page("leads", "线索漏斗", frozenset({"ops", "sales_manager"})),
    Page("people", "销售人员", frozenset({"sales_manager", "admin"})),
    Page("flows", "数据流", frozenset({"ops"})),
)


@dataclass
class Console:
    engine: Engine
    users: UserStore
    signer: Signer
    limiter: LoginLimiter
    settings: WebSettings
    hub_settings: HubSettings | None
    templates: Environment
    throttle: AddressThrottle
    gate: HashGate
    revoked: RevokedSessions
    proxies: tuple[Network, ...]
    memo: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Viewer:
    user: User
    session: Session
    csrf: str
    request_id: str

    @property
    def actor(self) -> str:
        return f"user:{self.user.name}"

    def pages(self) -> list[Page]:
        return [p for p in PAGES if p.roles & self.user.roles]

    @contextmanager
    def acting(self, reason: str | None = None) -> Iterator[None]:
        """Ledger entries written inside carry this user and this request."""
        with audit_context(actor=self.actor, correlation_id=f"web:{self.request_id}", reason=reason):
            yield


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, the JSON API answers 401."""


class Forbidden(Exception):
    """Logged in, but none of the roles the page needs."""

    def __init__(self, roles: frozenset[str]) -> None:
        super().__init__(", ".join(sorted(roles)))
        self.roles = roles


def console_of(request: Request) -> Console:
    found: Console = request.app.state.console
    return found


def base_path(request: Request) -> str:
    """Where the console is mounted ("" or e.g. "/console"), for links and the cookie path."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def route_path(request: Request) -> str:
    path, root = str(request.scope["path"]), base_path(request)
    return path[len(root) :] if root and path.startswith(root) else path


def client(request: Request) -> Client:
    """The client's address and whether it came over HTTPS (trusting only the listed proxies)."""
    return client_of(request, console_of(request).proxies)


def is_api(request: Request) -> bool:
    return route_path(request).startswith("/api/")


def viewer(request: Request) -> Viewer:
    """The logged-in user of this request, or :class:`LoginRequired`."""
    found = getattr(request.state, "viewer", None)
    if isinstance(found, Viewer):
        return found
    console = console_of(request)
    session = console.signer.read(request.cookies.get(COOKIE))
    user = console.users.get(session.user) if session else None
    if session is None or user is None or user.disabled or user.stamp != session.stamp:
        raise LoginRequired()
    if console.revoked.is_revoked(session.sid):  # logged out: a copy of the cookie is worth nothing
        raise LoginRequired()
    found = Viewer(user, session, console.signer.csrf_token(session.sid), request.state.request_id)
    request.state.viewer = found
    return found


def require(*roles: str) -> Callable[[Request], Viewer]:
    """A dependency: the viewer, if they hold one of ``roles``; else :class:`Forbidden`."""
    wanted = frozenset(roles)

    def dependency(request: Request) -> Viewer:
        seen = viewer(request)
        if not wanted & seen.user.roles:
            raise Forbidden(wanted)
        return seen

    return dependency
