"""What keeps logins from stalling the server: password checks in their own bounded thread pool, and
who the client is (address, HTTPS) when a trusted proxy stands in front.

A password check costs tens of milliseconds of CPU on purpose. On the event loop, 120 logins with
random names stalled every other request of the process (the webhook included) for seconds. Here
at most ``concurrency`` checks run at once, in threads (argon2 and scrypt release the GIL), and at
most ``queue`` more wait; beyond that a login is refused at once with 503 (:class:`LoginBusy`), so a
spray costs the server a bounded amount of work.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request

__all__ = ["Client", "HashGate", "LoginBusy", "client_of", "parse_networks"]

T = TypeVar("T")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginBusy(Exception):
    """Too many password checks running and waiting: try again in a moment."""


class HashGate:
    def __init__(self, concurrency: int, queue: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="synchub-login")
        self._slots = threading.BoundedSemaphore(concurrency + queue)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in the pool; :class:`LoginBusy` when every slot is taken."""
        if not self._slots.acquire(blocking=False):
            raise LoginBusy()
        try:
            future: Future[T] = self._pool.submit(fn, *args)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())  # freed when the work ends, not the wait
        return await asyncio.wrap_future(future)


@dataclass(frozen=True)
class Client:
    address: str
    https: bool


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(text: str, networks: tuple[Network, ...]) -> bool:
    ip = _ip(text)
    return ip is not None and any(ip in net for net in networks)


def client_of(request: Request, trusted: tuple[Network, ...]) -> Client:
    """The client's address and whether it reached us over HTTPS.

    ``X-Forwarded-For`` / ``X-Forwarded-Proto`` count only when the TCP peer is a listed proxy; the
    client is then the right-most forwarded address that is not itself a listed proxy.
    """
    peer = request.client.host if request.client else ""
    if not _trusted(peer, trusted):
        return Client(peer, request.url.scheme == "https")
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    address = next((h for h in reversed(hops) if not _trusted(h, trusted)), hops[0] if hops else peer)
    proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return Client(address, proto == "https" or (not proto and request.url.scheme == "https"))
