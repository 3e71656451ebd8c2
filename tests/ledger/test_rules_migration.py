"""Migration ledger_0008 on a ledger that already has transactions: they keep everything they
had, with no one having chosen their tags (rules may add some); users have no rules; and the
migration goes back down cleanly."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from services.ledger.models import Account
from tally.migrations import alembic_config


def test_existing_transactions_keep_working_with_no_tags_source(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user, account, transaction = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    transactions = sa.table(
        "ledger_transactions",
        *(sa.column(name, sa.Uuid()) for name in ("id", "user_id", "account_id")),
        sa.column("date", sa.Date()),
        sa.column("amount_minor", sa.BigInteger()),
        *(sa.column(name, sa.String()) for name in ("currency", "description")),
        sa.column("pending", sa.Boolean()),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in ("created_at", "updated_at")),
    )
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0010")
            connection.execute(
                sa.insert(Account.__table__).values(
                    id=account, user_id=user, name="Everyday", type="checking", currency="USD",
                    opening_balance_minor=0, created_at=moment,
                )
            )  # fmt: skip
            connection.execute(
                sa.insert(transactions).values(
                    id=transaction, user_id=user, account_id=account, date=dt.date(2026, 3, 1),
                    amount_minor=-100, currency="USD", description="Corner shop",
                    pending=False, created_at=moment, updated_at=moment,
                )
            )  # fmt: skip

            command.upgrade(config, "ledger_0008")
            after = connection.execute(
                sa.text("SELECT amount_minor, description, tags_source FROM ledger_transactions")
            ).all()
            rules = connection.execute(sa.text("SELECT count(*) FROM ledger_rules")).scalar()
            command.downgrade(config, "ledger_0010")
            tables = sa.inspect(connection).get_table_names()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("ledger_transactions")}
            kept = connection.execute(sa.text("SELECT count(*) FROM ledger_transactions")).scalar()
    finally:
        engine.dispose()

    assert [tuple(row) for row in after] == [(-100, "Corner shop", None)]
    assert rules == 0
    assert not {"ledger_rules", "ledger_rule_tags"} & set(tables)
    assert "tags_source" not in columns
    assert kept == 1
