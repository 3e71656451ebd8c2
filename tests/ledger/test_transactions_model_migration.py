"""Migration ledger_0006 on a ledger that already has transactions: they keep everything they
had, count as reviewed (the flag starts now), have no payee, tags, parts or transfer yet; and
the migration goes back down cleanly."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from services.ledger.models import Account
from tally.migrations import alembic_config


def test_existing_transactions_keep_working_and_count_as_reviewed(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user, account = uuid.uuid4(), uuid.uuid4()
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    transactions = sa.table(
        "ledger_transactions",
        *(sa.column(name, sa.Uuid()) for name in ("id", "user_id", "account_id", "item_ref")),
        sa.column("date", sa.Date()),
        sa.column("amount_minor", sa.BigInteger()),
        *(sa.column(name, sa.String()) for name in ("currency", "description")),
        sa.column("provider_transaction_id", sa.String()),
        sa.column("pending", sa.Boolean()),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in ("created_at", "updated_at")),
    )
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0002")
            connection.execute(
                sa.insert(Account.__table__).values(
                    id=account, user_id=user, name="Everyday", type="checking", currency="USD",
                    opening_balance_minor=0, created_at=moment,
                )
            )  # fmt: skip
            for index, item in enumerate((None, uuid.uuid4())):
                connection.execute(
                    sa.insert(transactions).values(
                        id=uuid.uuid4(), user_id=user, account_id=account,
                        date=dt.date(2026, 3, 1), amount_minor=-100 - index, currency="USD",
                        description="Corner shop", pending=False, item_ref=item,
                        provider_transaction_id=f"t{index}" if item else None,
                        created_at=moment, updated_at=moment,
                    )
                )  # fmt: skip

            command.upgrade(config, "ledger_0006")
            after = connection.execute(
                sa.text(
                    "SELECT amount_minor, reviewed, payee_id, transfer_counterpart_id"
                    " FROM ledger_transactions ORDER BY amount_minor"
                )
            ).all()
            command.downgrade(config, "ledger_0002")
            tables = sa.inspect(connection).get_table_names()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("ledger_transactions")}
            kept = connection.execute(sa.text("SELECT count(*) FROM ledger_transactions")).scalar()
    finally:
        engine.dispose()

    assert [tuple(row) for row in after] == [(-101, 1, None, None), (-100, 1, None, None)]
    assert not {"ledger_payees", "ledger_payee_keys", "ledger_tags", "ledger_transaction_tags",
                "ledger_transaction_splits"} & set(tables)  # fmt: skip
    assert not {"payee_id", "payee_source", "reviewed", "transfer_counterpart_id"} & columns
    assert kept == 2
