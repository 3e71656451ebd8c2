"""sync: a sync stores its pages one by one: the pagination in progress on the item, and the
transactions its stored pages reported.

Revision ID: sync_0004
Revises: sync_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0004"
down_revision = "sync_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_items") as batch:
        batch.add_column(sa.Column("pagination_pass", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pagination_start_cursor", sa.Text(), nullable=True))
    op.create_table(
        "sync_pagination_reports",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("provider_transaction_id", sa.String(length=100), nullable=False),
        sa.Column("pass_number", sa.Integer(), nullable=False),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["sync_items.id"],
            name=op.f("fk_sync_pagination_reports_item_id_sync_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "item_id", "provider_transaction_id", name=op.f("pk_sync_pagination_reports")
        ),
    )


def downgrade() -> None:
    op.drop_table("sync_pagination_reports")
    with op.batch_alter_table("sync_items") as batch:
        batch.drop_column("pagination_start_cursor")
        batch.drop_column("pagination_pass")
