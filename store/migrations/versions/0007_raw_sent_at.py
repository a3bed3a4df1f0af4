"""raw_records.sent_at: when the sender signed the delivery now stored (issue 18: replays)

An older or replayed signed submission must never overwrite a newer one, also after a restart,
so the signed time of the stored delivery lives beside it.

Revision ID: 0007_raw_sent_at
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.models.base

revision = "0007_raw_sent_at"
down_revision = "0003"
branch_labels = ("intake_replay",)
depends_on = None


def upgrade() -> None:
    op.add_column(
        "raw_records", sa.Column("sent_at", core.models.base.UTCDateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("raw_records") as batch:
        batch.drop_column("sent_at")
