"""Migration ledger_0011 on a SQLite ledger that already has transactions and payees: the index
is built from them, stays equal to them through deletions and a VACUUM (which must keep the
rowids it names rows by), and the migration goes back down cleanly, leaving the rows."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from services.ledger.models import Account, Payee, Transaction
from tally.migrations import alembic_config

MOMENT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _found(connection: sa.Connection, phrase: str) -> list[str]:
    """The descriptions the index finds the phrase in, by text or by payee's name."""
    rows = connection.execute(
        sa.text(
            """SELECT description FROM ledger_transactions WHERE rowid IN (
                 SELECT rowid FROM ledger_transactions_search
                   WHERE ledger_transactions_search MATCH :phrase)
               OR payee_id IN (SELECT id FROM ledger_payees WHERE rowid IN (
                 SELECT rowid FROM ledger_payees_search
                   WHERE ledger_payees_search MATCH :phrase))"""
        ),
        {"phrase": f'"{phrase}"'},
    )
    return sorted(rows.scalars())


def _integrity_check(connection: sa.Connection) -> None:
    for fts in ("ledger_transactions_search", "ledger_payees_search"):
        connection.execute(sa.text(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)"))


def _add_history(connection: sa.Connection) -> None:
    user, account, payee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    connection.execute(
        sa.insert(Account.__table__).values(
            id=account, user_id=user, name="Everyday", type="checking", currency="USD",
            opening_balance_minor=0, created_at=MOMENT,
        )
    )  # fmt: skip
    connection.execute(
        sa.insert(Payee.__table__).values(
            id=payee, user_id=user, name="Épicerie Martin", created_at=MOMENT
        )
    )
    for n in range(30):
        connection.execute(
            sa.insert(Transaction.__table__).values(
                id=uuid.uuid4(), user_id=user, account_id=account, date=dt.date(2026, 3, 1),
                amount_minor=-100 - n, currency="USD", description=f"Corner shop {n:02d}",
                notes="weekly" if n % 10 == 0 else None,
                payee_id=payee if n == 7 else None, pending=False,
                created_at=MOMENT, updated_at=MOMENT,
            )
        )  # fmt: skip


def test_existing_rows_are_indexed_kept_equal_through_vacuum_and_left_on_downgrade(
    tmp_path: Path,
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0009")
            _add_history(connection)
            command.upgrade(config, "ledger_0011")
            backfilled = (_found(connection, "shop 1"), _found(connection, "ÉPICERIE"))
            weekly = _found(connection, "WEEKLY")
            connection.execute(
                sa.text("DELETE FROM ledger_transactions WHERE amount_minor % 3 = 0")
            )
        rowids = sa.text("SELECT id, rowid FROM ledger_transactions")
        with engine.connect() as connection:
            before = dict(connection.execute(rowids).all())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM"))
            after = dict(connection.execute(rowids).all())
        with engine.begin() as connection:
            _integrity_check(connection)
            vacuumed = _found(connection, "shop 1")
            config.attributes["connection"] = connection
            command.downgrade(config, "ledger_0009")
            names = {
                row[0] for row in connection.execute(sa.text("SELECT name FROM sqlite_master"))
            }
            kept = connection.execute(sa.text("SELECT count(*) FROM ledger_transactions")).scalar()
            connection.execute(sa.text("UPDATE ledger_transactions SET description = 'Bakery'"))
    finally:
        engine.dispose()

    assert backfilled == (
        [f"Corner shop {n}" for n in range(10, 20)],
        ["Corner shop 07"],
    )
    assert weekly == ["Corner shop 00", "Corner shop 10", "Corner shop 20"]
    assert after == before
    assert vacuumed == [f"Corner shop {n}" for n in (10, 12, 13, 15, 16, 18, 19)]
    assert not {name for name in names if "_search" in name}
    assert kept == 20
