"""gateway: the throttle's attempt counters, for processes that share no memory and no Redis
(`tally serve --workers N`).

Revision ID: gateway_0003
Revises: gateway_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "gateway_0003"
down_revision = "gateway_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_throttle_windows",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_gateway_throttle_windows")),
    )
    op.create_index(
        op.f("ix_gateway_throttle_windows_expires_at"),
        "gateway_throttle_windows",
        ["expires_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_gateway_throttle_windows_expires_at"), table_name="gateway_throttle_windows"
    )
    op.drop_table("gateway_throttle_windows")
