"""gateway: each user's time zone (what "today" means for them).

Revision ID: gateway_0002
Revises: gateway_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "gateway_0002"
down_revision = "gateway_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_users") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("gateway_users") as batch:
        batch.drop_column("time_zone")
