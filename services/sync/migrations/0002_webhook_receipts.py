"""sync: receipts of verified webhooks, so a replayed one is not acted on twice.

Revision ID: sync_0002
Revises: sync_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0002"
down_revision = "sync_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_webhook_receipts",
        sa.Column("verification_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("verification_sha256", name=op.f("pk_sync_webhook_receipts")),
    )
    op.create_index(
        op.f("ix_sync_webhook_receipts_received_at"),
        "sync_webhook_receipts",
        ["received_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_webhook_receipts_received_at"), table_name="sync_webhook_receipts")
    op.drop_table("sync_webhook_receipts")
