"""The sandbox under uvicorn in a background thread on a free loopback port, once per session;
each test gets it reset (fresh tokens, no faults, no counters, only the seeded leads)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=7)) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> Iterator[RunningSandbox]:
    sandbox_server.state.reset()
    yield sandbox_server
    sandbox_server.state.reset()
