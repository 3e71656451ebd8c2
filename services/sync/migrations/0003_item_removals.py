"""sync: bank items still to be removed at Plaid after their user deleted their account.

Revision ID: sync_0003
Revises: sync_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0003"
down_revision = "sync_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_item_removals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plaid_item_id", sa.String(length=100), nullable=False),
        sa.Column("access_token_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error_code", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_item_removals")),
    )
    op.create_index(
        op.f("ix_sync_item_removals_attempted_at"),
        "sync_item_removals",
        ["attempted_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_item_removals_attempted_at"), table_name="sync_item_removals")
    op.drop_table("sync_item_removals")
