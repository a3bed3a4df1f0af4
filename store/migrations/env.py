"""Alembic environment: uses the engine handed over by ``store.migrate`` (so the audit guard and the
SQLite pragmas apply), or builds one from the URL in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import audit.models  # noqa: F401  (registers the ledger tables)
import core.models  # noqa: F401
from core.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(str(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
