"""WeCom group-robot simulator: ``POST /cgi-bin/webhook/send?key=`` with 20 messages a minute per robot
(45009 past it) and 93000 for an unknown key."""

from __future__ import annotations

from fastapi import APIRouter

from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS
from connectors.sandbox.robot import robot_router
from connectors.sandbox.state import SandboxState

__all__ = ["build_router"]

V = "wecom"


def build_router(sandbox: SandboxState) -> APIRouter:
    return robot_router(
        sandbox,
        V,
        "/cgi-bin/webhook/send",
        ("key", NOTIFY_CREDENTIALS[V]["key_prefix"]),
        ("markdown", "text"),
        unknown=(93000, "invalid webhook url"),
        too_fast=(45009, "api freq out of limit"),
        bad_json=(40008, "invalid message type"),
        bad_msgtype=(40008, "invalid message type"),
    )
