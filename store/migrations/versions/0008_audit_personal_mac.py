"""audit_personal_data.mac: a keyed MAC over each stored personal value (issue 18: edits detected)

Revision ID: 0008_audit_personal_mac
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_personal_mac"
down_revision = "0003"
branch_labels = ("audit_mac",)
depends_on = None


def upgrade() -> None:
    op.add_column("audit_personal_data", sa.Column("mac", sa.String(length=64), nullable=True))
    _seal_existing_rows()


def _seal_existing_rows() -> None:
    """Rows stored before the MAC existed get theirs now (with the hub's key, created when missing)."""
    from audit.personal_mac import personal_mac, personal_mac_key

    conn = op.get_bind()
    columns = "digest, entity_type, entity_id, salt, value"
    rows = conn.execute(sa.text(f"SELECT {columns} FROM audit_personal_data WHERE mac IS NULL")).all()
    if not rows:
        return
    key = personal_mac_key()
    if key is None:  # no key can be made here: verify reports these rows until one is set
        return
    conn.execute(
        sa.text("UPDATE audit_personal_data SET mac = :mac WHERE digest = :digest"),
        [{"digest": r[0], "mac": personal_mac(key, r[0], r[1], r[2], r[3], r[4])} for r in rows],
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_personal_data") as batch:
        batch.drop_column("mac")
