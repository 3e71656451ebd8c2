"""notifier: web push subscriptions, webhooks and their delivery log

Revision ID: notifier_0006
Revises: notifier_0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0006"
# Re-chained after notifier_0005 when the alert branches are merged.
down_revision = "notifier_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifier_push_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth_encrypted", sa.Text(), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_push_subscriptions")),
        sa.UniqueConstraint(
            "user_id", "endpoint", name=op.f("uq_notifier_push_subscriptions_user_id_endpoint")
        ),
    )
    op.create_index(
        op.f("ix_notifier_push_subscriptions_user_id"),
        "notifier_push_subscriptions",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "notifier_webhooks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=True),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=300), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_webhooks")),
    )
    op.create_index(
        op.f("ix_notifier_webhooks_user_id"), "notifier_webhooks", ["user_id"], unique=False
    )
    op.create_table(
        "notifier_webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["notifier_webhooks.id"],
            name=op.f("fk_notifier_webhook_deliveries_webhook_id_notifier_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_webhook_deliveries")),
    )
    op.create_index(
        "ix_notifier_webhook_deliveries_newest",
        "notifier_webhook_deliveries",
        ["webhook_id", "attempted_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notifier_webhook_deliveries_user_id"),
        "notifier_webhook_deliveries",
        ["user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_notifier_webhook_deliveries_user_id"), table_name="notifier_webhook_deliveries"
    )
    op.drop_index("ix_notifier_webhook_deliveries_newest", table_name="notifier_webhook_deliveries")
    op.drop_table("notifier_webhook_deliveries")
    op.drop_index(op.f("ix_notifier_webhooks_user_id"), table_name="notifier_webhooks")
    op.drop_table("notifier_webhooks")
    op.drop_index(
        op.f("ix_notifier_push_subscriptions_user_id"), table_name="notifier_push_subscriptions"
    )
    op.drop_table("notifier_push_subscriptions")
