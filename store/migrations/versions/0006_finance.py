"""finance alerts (issue 7: contracts to receivables)

Revision ID: 0006_finance
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import core.models.base

revision = "0006_finance"
down_revision = "0003"
branch_labels = ("finance",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finance_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("contract_number", sa.String(length=60), nullable=False),
        sa.Column(
            "recipients",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["installment_id"],
            ["receivable_installments.id"],
            name=op.f("fk_finance_alerts_installment_id_receivable_installments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_alerts")),
        sa.UniqueConstraint("event_key", name=op.f("uq_finance_alerts_event_key")),
    )
    op.create_index(
        op.f("ix_finance_alerts_installment_id"), "finance_alerts", ["installment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_finance_alerts_installment_id"), table_name="finance_alerts")
    op.drop_table("finance_alerts")
