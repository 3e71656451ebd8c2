"""Migration notifier_0005 on a notifier that already emailed some notifications: each
notification gets its IN_APP delivery, SENT, and an EMAIL delivery that carries what the old
columns said (emailed -> SENT at that moment, not yet -> PENDING and due); and back down, the
emailed moments return to their column."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from tally.migrations import alembic_config

MOMENT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def test_the_email_state_moves_into_delivery_rows_and_back(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user, emailed, owed = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    notifications = sa.table(
        "notifier_notifications",
        *(sa.column(name, sa.Uuid()) for name in ("id", "user_id", "rule_id")),
        *(sa.column(name, sa.String()) for name in ("kind", "dedupe_key", "title", "body")),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in ("created_at", "emailed_at")),
    )
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "notifier_0003")
            for notification, sent in ((emailed, MOMENT + dt.timedelta(minutes=1)), (owed, None)):
                connection.execute(
                    sa.insert(notifications).values(
                        id=notification, user_id=user, rule_id=None, kind="LARGE_TRANSACTION",
                        dedupe_key=notification.hex, title="Large", body="Large.",
                        created_at=MOMENT, emailed_at=sent,
                    )
                )  # fmt: skip

            command.upgrade(config, "notifier_0005")
            rows = connection.execute(
                sa.text(
                    "SELECT notification_id, channel, status, attempts, sent_at, idempotency_key,"
                    " next_attempt_at IS NOT NULL FROM notifier_deliveries"
                )
            ).all()
            columns = {
                c["name"] for c in sa.inspect(connection).get_columns("notifier_notifications")
            }
            locale = list(sa.inspect(connection).get_columns("notifier_recipients"))
            command.downgrade(config, "notifier_0003")
            back = connection.execute(
                sa.text("SELECT id, emailed_at FROM notifier_notifications")
            ).all()
            tables = sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()

    found = {
        (uuid.UUID(str(row[0])), row[1]): (row[2], row[3], row[4] is not None, row[5], row[6])
        for row in rows
    }
    assert found == {
        (emailed, "IN_APP"): ("SENT", 1, True, f"{emailed.hex}:IN_APP", False),
        (emailed, "EMAIL"): ("SENT", 1, True, f"{emailed.hex}:EMAIL", False),
        (owed, "IN_APP"): ("SENT", 1, True, f"{owed.hex}:IN_APP", False),
        (owed, "EMAIL"): ("PENDING", 0, False, f"{owed.hex}:EMAIL", True),
    }
    assert not {"emailed_at", "email_claimed_at"} & columns
    assert "locale" in {c["name"] for c in locale}
    assert {(uuid.UUID(str(row[0])), row[1] is not None) for row in back} == {
        (emailed, True),
        (owed, False),
    }
    assert not {"notifier_deliveries", "notifier_delivery_settings"} & set(tables)
