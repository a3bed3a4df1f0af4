"""Sandbox simulators of the vendor APIs (DESIGN.md): exact paths, auth, pagination, error codes,
rate limits and switchable faults, over deterministic seeded leads. Loopback only."""

from connectors.sandbox.app import create_app
from connectors.sandbox.profiles import sandbox_settings
from connectors.sandbox.server import RunningSandbox, running_sandbox, serve
from connectors.sandbox.state import SANDBOX_CREDENTIALS, VENDORS, SandboxState, VendorFaults

__all__ = [
    "SANDBOX_CREDENTIALS",
    "VENDORS",
    "RunningSandbox",
    "SandboxState",
    "VendorFaults",
    "create_app",
    "running_sandbox",
    "sandbox_settings",
    "serve",
]
