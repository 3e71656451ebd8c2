"""notifier: each recipient's time zone (alert wording says "today" where they live).

Revision ID: notifier_0002
Revises: notifier_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0002"
down_revision = "notifier_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifier_recipients") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("notifier_recipients") as batch:
        batch.drop_column("time_zone")
