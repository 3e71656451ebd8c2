"""sync: linked Plaid items with their encrypted access tokens and transaction cursors.

Revision ID: sync_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0001"
down_revision = None
branch_labels = ("sync",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("plaid_item_id", sa.String(length=100), nullable=False),
        sa.Column("access_token_encrypted", sa.Text(), nullable=False),
        sa.Column("public_token_sha256", sa.String(length=64), nullable=True),
        sa.Column("institution_id", sa.String(length=100), nullable=True),
        sa.Column("institution_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_items")),
        sa.UniqueConstraint("plaid_item_id", name=op.f("uq_sync_items_plaid_item_id")),
    )
    op.create_index(op.f("ix_sync_items_user_id"), "sync_items", ["user_id"], unique=False)
    op.create_index(
        op.f("ix_sync_items_public_token_sha256"),
        "sync_items",
        ["public_token_sha256"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_items_public_token_sha256"), table_name="sync_items")
    op.drop_index(op.f("ix_sync_items_user_id"), table_name="sync_items")
    op.drop_table("sync_items")
