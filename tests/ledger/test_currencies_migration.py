"""Migration ledger_0002 on a ledger that already has users: each gets a base currency, the
one the ledger used to count their budgets and reports in (their first account's, else USD)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from services.ledger.models import Account
from tally.migrations import alembic_config

# The categories table as ledger_0001 made it (the model has moved on since).
CATEGORIES_0001 = sa.table(
    "ledger_categories",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("group", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def test_existing_users_keep_counting_in_the_currency_they_did(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    without_accounts, with_accounts, bank_only = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    early = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0001")
            for user in (without_accounts, with_accounts):
                connection.execute(
                    sa.insert(CATEGORIES_0001).values(
                        id=uuid.uuid4(), user_id=user, name="Dining", group="Food",
                        created_at=early,
                    )
                )  # fmt: skip
            for user, currency, created in (
                (with_accounts, "USD", early + dt.timedelta(days=2)),
                (with_accounts, "GBP", early + dt.timedelta(days=1)),  # the first
                (bank_only, "EUR", early),
            ):
                connection.execute(
                    sa.insert(Account.__table__).values(
                        id=uuid.uuid4(), user_id=user, name="Account", type="checking",
                        currency=currency, opening_balance_minor=0, created_at=created,
                    )
                )  # fmt: skip

            command.upgrade(config, "ledger_0002")

            settings = dict(
                connection.execute(
                    sa.text("SELECT user_id, base_currency FROM ledger_user_settings")
                ).all()
            )
            command.downgrade(config, "ledger_0001")
            tables = sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()

    assert settings == {
        without_accounts.hex: "USD",
        with_accounts.hex: "GBP",
        bank_only.hex: "EUR",
    }
    assert "ledger_user_settings" not in tables
    assert "ledger_exchange_rates" not in tables
