"""notifier: alert rules of every kind: parameters per kind, a scope to an account or a tag (as
well as a category), the channels their notifications go to, and a snooze; notifications keep
the alert's structured facts (`data`) for channels that send data rather than prose.

Revision ID: notifier_0004
Revises: notifier_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0004"
down_revision = "notifier_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifier_alert_rules") as batch:
        batch.add_column(sa.Column("account_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("tag_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("parameters", sa.JSON(), server_default="{}", nullable=False))
        # Existing rules keep going where they went: the inbox and email.
        batch.add_column(
            sa.Column("channels", sa.JSON(), server_default='["IN_APP", "EMAIL"]', nullable=False)
        )
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.drop_column("data")
    # Rules of kinds the older code does not know would break it: they go.
    op.execute(
        "DELETE FROM notifier_alert_rules "
        "WHERE kind NOT IN ('BUDGET_OVERSPENT', 'LARGE_TRANSACTION')"
    )
    with op.batch_alter_table("notifier_alert_rules") as batch:
        batch.drop_column("snoozed_until")
        batch.drop_column("channels")
        batch.drop_column("parameters")
        batch.drop_column("tag_id")
        batch.drop_column("account_id")
