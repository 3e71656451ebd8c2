"""notifier: a delivery row per (notification, channel) with its status, and the user's delivery
settings (quiet hours, daily digest, rate limits, emails switched off per kind); recipients get a
locale. The email columns of notifications are superseded: their state moves into EMAIL rows
(emailed -> SENT, not yet emailed -> PENDING and due, as the old email job still owed it), and
every stored notification gets its IN_APP row, SENT. (Notifications' `data` came with
notifier_0004.)

Revision ID: notifier_0005
Revises: notifier_0004
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "notifier_0005"
down_revision = "notifier_0004"
branch_labels = None
depends_on = None

BATCH = 1000

_notifications = sa.table(
    "notifier_notifications",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("email_claimed_at", sa.DateTime(timezone=True)),
    sa.column("emailed_at", sa.DateTime(timezone=True)),
)


def _deliveries_table() -> sa.TableClause:
    return sa.table(
        "notifier_deliveries",
        sa.column("id", sa.Uuid()),
        sa.column("notification_id", sa.Uuid()),
        sa.column("user_id", sa.Uuid()),
        sa.column("channel", sa.String()),
        sa.column("status", sa.String()),
        sa.column("reason", sa.String()),
        sa.column("attempts", sa.Integer()),
        sa.column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.column("in_digest", sa.Boolean()),
        sa.column("sent_at", sa.DateTime(timezone=True)),
        sa.column("idempotency_key", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def upgrade() -> None:
    with op.batch_alter_table("notifier_recipients") as batch:
        batch.add_column(
            sa.Column("locale", sa.String(length=35), server_default="en", nullable=False)
        )
    op.create_table(
        "notifier_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queued_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_digest", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifier_notifications.id"],
            name=op.f("fk_notifier_deliveries_notification_id_notifier_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_deliveries")),
        sa.UniqueConstraint(
            "notification_id",
            "channel",
            name=op.f("uq_notifier_deliveries_notification_id_channel"),
        ),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_notifier_deliveries_idempotency_key")),
    )
    op.create_index(
        "ix_notifier_deliveries_due",
        "notifier_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notifier_deliveries_user_id"), "notifier_deliveries", ["user_id"], unique=False
    )
    op.create_table(
        "notifier_delivery_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("quiet_start_minute", sa.SmallInteger(), nullable=True),
        sa.Column("quiet_end_minute", sa.SmallInteger(), nullable=True),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=True),
        sa.Column("digest_kinds", sa.JSON(), nullable=True),
        sa.Column("digest_sent_for", sa.Date(), nullable=True),
        sa.Column("rate_limits", sa.JSON(), nullable=False),
        sa.Column("email_off_kinds", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notifier_delivery_settings")),
    )
    _move_email_state_into_deliveries()
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.drop_column("email_claimed_at")
        batch.drop_column("emailed_at")


def _move_email_state_into_deliveries() -> None:
    connection = op.get_bind()
    deliveries = _deliveries_table()
    now = dt.datetime.now(dt.UTC)
    result = connection.execute(
        sa.select(
            _notifications.c.id,
            _notifications.c.user_id,
            _notifications.c.created_at,
            _notifications.c.emailed_at,
        ).order_by(_notifications.c.id)
    )
    rows = result.mappings().all()
    for start in range(0, len(rows), BATCH):
        batch = []
        for row in rows[start : start + BATCH]:
            created, emailed = _aware(row["created_at"]), _aware(row["emailed_at"])
            common = {"notification_id": row["id"], "user_id": row["user_id"], "attempts": 0}
            common |= {"in_digest": False, "created_at": created, "reason": None}
            batch.append(
                {
                    **common,
                    "id": uuid.uuid4(),
                    "channel": "IN_APP",
                    "status": "SENT",
                    "attempts": 1,
                    "next_attempt_at": None,
                    "sent_at": created,
                    "idempotency_key": f"{row['id'].hex}:IN_APP",
                    "updated_at": created,
                }
            )
            batch.append(
                {
                    **common,
                    "id": uuid.uuid4(),
                    "channel": "EMAIL",
                    "status": "SENT" if emailed else "PENDING",
                    "attempts": 1 if emailed else 0,
                    "next_attempt_at": None if emailed else now,
                    "sent_at": emailed,
                    "idempotency_key": f"{row['id'].hex}:EMAIL",
                    "updated_at": emailed or now,
                }
            )
        op.bulk_insert(deliveries, batch)


def downgrade() -> None:
    with op.batch_alter_table("notifier_notifications") as batch:
        batch.add_column(sa.Column("email_claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE notifier_notifications SET emailed_at = ("
        " SELECT d.sent_at FROM notifier_deliveries d"
        " WHERE d.notification_id = notifier_notifications.id"
        " AND d.channel = 'EMAIL' AND d.status = 'SENT')"
    )
    op.drop_table("notifier_delivery_settings")
    op.drop_index(op.f("ix_notifier_deliveries_user_id"), table_name="notifier_deliveries")
    op.drop_index("ix_notifier_deliveries_due", table_name="notifier_deliveries")
    op.drop_table("notifier_deliveries")
    with op.batch_alter_table("notifier_recipients") as batch:
        batch.drop_column("locale")
