"""Shared fixtures. ``store`` gives each test a fresh, migrated database on every backend:
SQLite always, PostgreSQL when SYNCHUB_TEST_POSTGRES_URL is set (CI sets it; in CI its absence fails).

PostgreSQL speed: the schema is migrated once into a template database per session, and each test
gets ``CREATE DATABASE ... TEMPLATE`` (a file copy), dropped afterwards.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from store.engine import make_engine
from store.migrate import upgrade

PG_ENV = "SYNCHUB_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the PostgreSQL half of the suite")
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} (CI sets it) to run them")
    return url


def _admin_exec(url: str, *statements: str) -> None:
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the main file
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    url = _pg_admin_url()
    name = f"synchub_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _admin_exec(url, f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    yield name
    _admin_exec(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh migrated database URL for ``backend``; dropped when the test ends."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"hub-{uuid.uuid4().hex[:6]}.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = _pg_admin_url()
    template_name: str = request.getfixturevalue("pg_template")
    name = f"synchub_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _admin_exec(url, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    request.addfinalizer(lambda: _admin_exec(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database(request.param, request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    """A migrated hub database with the audit hooks on, on SQLite and on PostgreSQL."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


TOKEN_KEY = "u0pY0TnJm1bYw5s3cJ9kq8dXo2Vf6hR4eL7aN1zQ3tM="  # test-only Fernet key
# test-only personal-data MAC key: fixtures that outlive one test (a module's seeded console) write with
# one test's settings and verify under another's, so the key must not depend on the per-test var dir
PII_KEY = "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEtbWFjLWtleSE="
os.environ["SYNCHUB_AUDIT_PII_KEY"] = PII_KEY  # module-scoped fixtures run before the per-test settings


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees default settings, a private var dir and no synchub.toml from the checkout."""
    from core.settings import get_settings

    for key in list(os.environ):
        if key.startswith("SYNCHUB_") and key != PG_ENV:
            monkeypatch.delenv(key)
    monkeypatch.setenv("SYNCHUB_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY_FILE", str(tmp_path / "var" / "audit_ed25519.pem"))
    monkeypatch.setenv("SYNCHUB_CONFIG", str(tmp_path / "synchub.toml"))
    monkeypatch.setenv("SYNCHUB_TOKEN_KEY", TOKEN_KEY)
    monkeypatch.setenv("SYNCHUB_AUDIT_PII_KEY", PII_KEY)
    logging.getLogger("synchub").setLevel(logging.NOTSET)  # a flow run earlier in this process set INFO
    get_settings.cache_clear()
    from services.routing.linking import forget_index

    forget_index()  # a database name may come back in a later test: never a previous test's index
    yield
    get_settings.cache_clear()


@pytest.fixture
def pg_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """PostgreSQL only, for behaviour that exists only there (TRUNCATE, SKIP LOCKED, ...)."""
    engine = make_engine(new_database("postgresql", request, tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def wide_console() -> Iterator[None]:
    """CLI tables wide enough to hold every cell on one line. Set on the shared console itself: a rich
    console reads COLUMNS once, when it is built, so ``env={"COLUMNS": ...}`` on invoke comes too
    late whenever this process started with COLUMNS set (as a pytest-xdist worker may)."""
    from hub.cli.common import console

    saved = console._width
    console.width = 200
    yield
    console._width = saved
