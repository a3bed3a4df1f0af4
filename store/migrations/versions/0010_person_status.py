"""person_status: salespeople who left, and who took their customers over (issue 19: handover)

Revision ID: 0010_person_status
Revises: 0009_notification_not_before
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.models.base

revision = "0010_person_status"
down_revision = "0009_notification_not_before"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("handed_to", sa.String(length=60), nullable=True),
        sa.Column("changed_at", core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            core.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_status")),
        sa.UniqueConstraint("person", name=op.f("uq_person_status_person")),
    )


def downgrade() -> None:
    op.drop_table("person_status")
