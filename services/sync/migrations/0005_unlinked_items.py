"""sync: linked items the user unlinked, and what was done with their history.

Revision ID: sync_0005
Revises: sync_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0005"
down_revision = "sync_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_unlinked_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("institution_name", sa.String(length=200), nullable=False),
        sa.Column("history", sa.String(length=10), nullable=False),
        sa.Column("account_ids", sa.JSON(), nullable=False),
        sa.Column("deleted_transaction_count", sa.Integer(), nullable=False),
        sa.Column("unlinked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_unlinked_items")),
    )
    op.create_index(
        op.f("ix_sync_unlinked_items_user_id"), "sync_unlinked_items", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_unlinked_items_user_id"), table_name="sync_unlinked_items")
    op.drop_table("sync_unlinked_items")
