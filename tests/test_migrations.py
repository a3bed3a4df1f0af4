"""The Alembic migrations and the models agree, and the schema goes down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

import audit.models  # noqa: F401
from core.models import Base
from store.migrate import current_revision, upgrade


def test_models_match_migrations(store: Engine) -> None:
    with store.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(store: Engine) -> None:
    head = current_revision(store)
    upgrade_to_base(store)
    assert current_revision(store) is None
    upgrade(store)
    assert current_revision(store) == head


def upgrade_to_base(engine: Engine) -> None:
    from alembic import command

    from store.migrate import alembic_config

    command.downgrade(alembic_config(engine), "base")
