"""Helpers shared by the benchmarks: throwaway databases and result printing."""

from __future__ import annotations

import json
import os
import platform
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from store.engine import make_engine
from store.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    url = (
        os.environ.get("SYNCHUB_BENCH_POSTGRES_URL")
        or os.environ.get("SYNCHUB_TEST_POSTGRES_URL")
        or DEFAULT_PG
    )
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        print(f"PostgreSQL not reachable at {url} ({exc.__class__.__name__}); its figures are skipped")
        return None
    return url


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated, empty hub database; dropped afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:6]}.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin_url = postgres_url()
    assert admin_url is not None
    name = f"synchub_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}


def save(name: str, results: dict[str, Any]) -> Path:
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=1, ensure_ascii=False))
    return path
