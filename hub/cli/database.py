"""The hub's store as a ``synchub`` command opens it.

A command that needs the store calls :func:`open_engine`: a missing SQLite file, a database without the
schema or at another revision, or one that cannot be reached is refused in one line that says what to
do (``run `synchub db upgrade```), and nothing is created on the way (SQLite would make an empty file,
and ``store.engine.make_engine`` its folder). Only ``synchub db upgrade`` and ``synchub demo`` create a
database.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import URL, Engine

from core.errors import ConfigError

__all__ = ["UPGRADE_HINT", "database_error_line", "open_engine"]

UPGRADE_HINT = "run `synchub db upgrade`"


def _sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names; None for an in-memory database or a ``file:`` URI."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("uri"):
        return None
    return Path(database)


@lru_cache(maxsize=1)
def _code_heads() -> frozenset[str]:
    """The revisions this synchub's migrations end in (read once per process)."""
    from alembic.script import ScriptDirectory

    from store.migrate import MIGRATIONS

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def _database_heads(engine: Engine) -> frozenset[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def database_error_line(exc: BaseException, shown: str | None = None) -> str:
    """One line for an error of the database driver: a missing table means an unmigrated store."""
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    where = f" at {shown}" if shown else ""
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return f"the database{where} is not migrated ({text}): {UPGRADE_HINT}"
    return f"the database{where} cannot be used: {text}"


def open_engine() -> Engine:
    """The engine of ``SYNCHUB_DATABASE_URL``, once the database is known to exist at this synchub's
    schema revision; :class:`ConfigError` (one line) otherwise."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from core.settings import get_settings
    from store.engine import make_engine

    raw = get_settings().database_url
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            "SYNCHUB_DATABASE_URL is not a database URL (e.g. sqlite:///./var/synchub.db)"
        ) from None
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_file(url)
        if path is not None and not path.is_file():
            raise ConfigError(f"no database at {path}: {UPGRADE_HINT} first (SYNCHUB_DATABASE_URL names it)")
    try:
        engine = make_engine(raw)
    except (ArgumentError, ImportError) as exc:  # an unknown dialect or a driver not installed
        raise ConfigError(f"SYNCHUB_DATABASE_URL {shown}: {exc}") from None
    try:
        found = _database_heads(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise ConfigError(database_error_line(exc, shown)) from None
    wanted = _code_heads()
    if found != wanted:
        engine.dispose()
        if not found:
            raise ConfigError(f"the database at {shown} has no schema yet: {UPGRADE_HINT}")
        raise ConfigError(
            f"the database at {shown} is at revision {', '.join(sorted(found))}, this synchub needs "
            f"{', '.join(sorted(wanted))}: {UPGRADE_HINT}"
        )
    return engine
