"""notification_log.not_before: a throttled robot is blocked by its vendor until then (issue 17)

DingTalk blocks a robot for ten minutes after it goes over 20 messages a minute (codes 130101,
90030); sending again inside the block prolongs it, so the dispatcher keeps the time in the log.

Revision ID: 0009_notification_not_before
Revises: 0005_routing
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.models.base

revision = "0009_notification_not_before"
down_revision = "0005_routing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    column = sa.Column("not_before", core.models.base.UTCDateTime(timezone=True), nullable=True)
    op.add_column("notification_log", column)


def downgrade() -> None:
    with op.batch_alter_table("notification_log") as batch:
        batch.drop_column("not_before")
