"""Fixtures of the console tests: users, a seeded hub, the app, logged-in HTTP clients.

Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through the ``playwright`` package and
never download a browser: without Chromium they skip, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from core.settings import HubSettings
from hub.web import create_web_app
from tests.web.seed import PASSWORD, Seeded, seed, signing_settings, web_settings, write_users

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def need(condition: bool, why: str) -> None:
    """Skip with ``why``, or fail under CI, where every test must run."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set: this must not be skipped)")
    pytest.skip(why)


@dataclass
class Site:
    app: FastAPI
    engine: Engine
    seeded: Seeded
    users_file: Path
    hub_settings: HubSettings


@pytest.fixture(scope="session")
def users_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_users(tmp_path_factory.mktemp("web-users") / "users.toml")


@pytest.fixture
def users_file(users_template: Path, tmp_path: Path) -> Path:
    """A private copy: tests may disable users or change passwords."""
    return Path(shutil.copyfile(users_template, tmp_path / "users.toml"))


@pytest.fixture
def site(store: Engine, users_file: Path) -> Site:
    settings = signing_settings()
    seeded = seed(store, settings)
    app = create_web_app(store, users_file, web_settings(), settings)
    return Site(app, store, seeded, users_file, settings)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return client


ClientFor = Callable[..., TestClient]


@pytest.fixture
def client_for(site: Site) -> Iterator[ClientFor]:
    """``client_for("wang")``: a client logged in as wang; ``client_for()``: not logged in."""
    clients: list[TestClient] = []

    def make(name: str | None = None) -> TestClient:
        client = TestClient(site.app, raise_server_exceptions=False)
        clients.append(client)
        return login(client, name) if name else client

    yield make
    for client in clients:
        client.close()
