"""routing: rule-set versions and the notification log

Revision ID: 0005_routing
Revises: 0003
Create Date: 2026-11-26 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.models.base

revision = "0005_routing"
down_revision = "0003"
branch_labels = ("routing",)
depends_on = None

UTC = core.models.base.UTCDateTime(timezone=True)
FK_DIGEST = "fk_notification_log_digest_id_notification_log"


def upgrade() -> None:
    op.create_table(
        "routing_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("loaded_at", UTC, nullable=False),
        sa.Column("created_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule_sets")),
        sa.UniqueConstraint("kind", "digest", name=op.f("uq_routing_rule_sets_kind_digest")),
    )
    op.create_table(
        "notification_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_key", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=True),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", UTC, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["notification_log.id"],
            name=op.f("fk_notification_log_digest_id_notification_log"),
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_notification_log_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_log")),
        sa.UniqueConstraint("business_key", name=op.f("uq_notification_log_business_key")),
    )
    with op.batch_alter_table("notification_log", schema=None) as batch_op:
        batch_op.create_index(op.f("ix_notification_log_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index("ix_notification_log_window", ["channel", "target", "sent_at"], unique=False)
        batch_op.create_index("ix_notification_log_pending", ["channel", "target", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification_log", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_log_pending")
        batch_op.drop_index("ix_notification_log_window")
        batch_op.drop_index(op.f("ix_notification_log_lead_id"))
    op.drop_table("notification_log")
    op.drop_table("routing_rule_sets")
