"""notifier: recipients, alert rules, notifications

Revision ID: notifier_0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "notifier_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("notifier",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifier_recipients",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notifier_recipients")),
    )
    op.create_table(
        "notifier_alert_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("threshold_minor", sa.BigInteger(), nullable=True),
        sa.Column("threshold_currency", sa.String(length=3), nullable=True),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_alert_rules")),
    )
    op.create_index(
        op.f("ix_notifier_alert_rules_user_id"), "notifier_alert_rules", ["user_id"], unique=False
    )
    op.create_table(
        "notifier_notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["notifier_alert_rules.id"],
            name=op.f("fk_notifier_notifications_rule_id_notifier_alert_rules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_notifications")),
        sa.UniqueConstraint(
            "user_id", "dedupe_key", name=op.f("uq_notifier_notifications_user_id_dedupe_key")
        ),
    )
    op.create_index(
        "ix_notifier_notifications_user_newest",
        "notifier_notifications",
        ["user_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_notifier_notifications_user_newest", table_name="notifier_notifications")
    op.drop_table("notifier_notifications")
    op.drop_index(op.f("ix_notifier_alert_rules_user_id"), table_name="notifier_alert_rules")
    op.drop_table("notifier_alert_rules")
    op.drop_table("notifier_recipients")
