"""A short way through the ASGI stack for the one endpoint that takes load: the web-form webhook.

FastAPI's router, dependency solving, exception and exit-stack middlewares cost about a fifth of the
CPU of a web-form submission (measured with py-spy under 50 concurrent senders). This middleware
sends ``POST {prefix}{id}`` straight to the same handler the route declares; everything else, and
the route itself (for OpenAPI and for callers that mount the app elsewhere), goes through FastAPI.
It sits inside Starlette's ServerErrorMiddleware, so an unexpected error is still a plain 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["HotPath"]

Handler = Callable[[str, Request], Awaitable[Response]]


class HotPath:
    def __init__(self, app: ASGIApp, prefix: str, handler: Handler) -> None:
        self.app = app
        self.prefix = prefix
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path: str = scope["path"]
            if path.startswith(self.prefix):
                name = path[len(self.prefix) :]
                if name and "/" not in name:
                    response = await self.handler(name, Request(scope, receive))
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
