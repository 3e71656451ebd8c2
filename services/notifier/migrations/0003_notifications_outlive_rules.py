"""notifier: a notification outlives the alert rule that raised it (deleting a rule keeps what it
told the user; the notification's rule_id becomes null).

Revision ID: notifier_0003
Revises: notifier_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0003"
down_revision = "notifier_0002"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_notifier_notifications_rule_id_notifier_alert_rules"


def upgrade() -> None:
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.alter_column("rule_id", existing_type=sa.Uuid(), nullable=True)
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.create_foreign_key(
            FOREIGN_KEY, "notifier_alert_rules", ["rule_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    # Notifications of deleted rules cannot point at a rule again: they go.
    op.execute("DELETE FROM notifier_notifications WHERE rule_id IS NULL")
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.create_foreign_key(FOREIGN_KEY, "notifier_alert_rules", ["rule_id"], ["id"])
        batch.alter_column("rule_id", existing_type=sa.Uuid(), nullable=False)
