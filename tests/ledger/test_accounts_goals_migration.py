"""Migration ledger_0005 on a ledger that already has money: every account stays open and
unlabelled, every transaction starts uncleared, every goal stays active and funded by its
contributions; and it can be undone."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command

from tally.migrations import alembic_config

EARLY = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _insert(connection: sa.Connection, table: str, **values: Any) -> None:
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"), values)


def test_existing_accounts_transactions_and_goals_keep_working(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user, account, goal = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0002")
            _insert(
                connection, "ledger_accounts", id=account, user_id=user, name="Everyday",
                type="checking", currency="USD", opening_balance_minor=1000, created_at=EARLY,
            )  # fmt: skip
            _insert(
                connection, "ledger_transactions", id=uuid.uuid4().hex, user_id=user,
                account_id=account, date=dt.date(2025, 2, 1), amount_minor=-250, currency="USD",
                description="Shop", pending=False, created_at=EARLY, updated_at=EARLY,
            )  # fmt: skip
            _insert(
                connection, "ledger_goals", id=goal, user_id=user, name="Bike",
                target_minor=50_000, currency="USD", created_at=EARLY,
            )  # fmt: skip

            command.upgrade(config, "ledger_0005")

            accounts = connection.execute(
                sa.text("SELECT institution_label, closed_at, closed_on FROM ledger_accounts")
            ).all()
            transactions = connection.execute(
                sa.text("SELECT cleared, cleared_at FROM ledger_transactions")
            ).all()
            goals = connection.execute(
                sa.text(
                    "SELECT funding, paused_at, account_id, category_id, funded_since "
                    "FROM ledger_goals"
                )
            ).all()
            command.downgrade(config, "ledger_0002")
            inspector = sa.inspect(connection)
            tables = inspector.get_table_names()
            goal_columns = {column["name"] for column in inspector.get_columns("ledger_goals")}
            still_there = connection.execute(sa.text("SELECT name FROM ledger_goals")).all()
    finally:
        engine.dispose()

    assert [tuple(row) for row in accounts] == [(None, None, None)]
    assert [tuple(row) for row in transactions] == [(0, None)]
    assert [tuple(row) for row in goals] == [("contributions", None, None, None, None)]
    assert "ledger_reconciliations" not in tables
    assert "funding" not in goal_columns
    assert [tuple(row) for row in still_there] == [("Bike",)]
