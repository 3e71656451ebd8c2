"""Migration ledger_0013 on a ledger whose report totals are stored: the totals by category
are filled from them, summed over accounts and payees (one row per key, with a fresh id each,
which the ORM reads as a uuid); and the migration goes back down cleanly."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from services.ledger.models import ReportCategoryTotal, ReportTotal
from tally.migrations import alembic_config


def test_the_totals_by_category_are_summed_from_the_stored_totals(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user, other = uuid.uuid4(), uuid.uuid4()
    groceries, accounts = uuid.uuid4(), (uuid.uuid4(), uuid.uuid4())
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)

    def stored(owner: uuid.UUID, month: dt.date, account: uuid.UUID, payee: uuid.UUID | None,
               minor: int, day: int, currency: str = "USD") -> dict[str, object]:  # fmt: skip
        return {
            "id": uuid.uuid4(), "user_id": owner, "month": month, "account_id": account,
            "category_id": groceries, "payee_id": payee, "transfer": False,
            "money_in": minor > 0, "currency": currency, "converted_currency": None,
            "amount_minor": minor, "converted_minor": 0, "transaction_count": 1,
            "first_date": month.replace(day=day), "last_date": month.replace(day=day),
        }  # fmt: skip

    rows = [
        stored(user, march, accounts[0], uuid.uuid4(), -1_250, 3),
        stored(user, march, accounts[1], uuid.uuid4(), -4_999, 17),
        stored(user, march, accounts[1], None, -1, 30),
        stored(user, march, accounts[0], None, 700, 9),  # a refund: money in, its own key
        stored(user, april, accounts[0], None, -300, 2, "EUR"),
        stored(other, march, accounts[0], None, -5, 5),
    ]
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0012")
            connection.execute(sa.insert(ReportTotal.__table__), rows)
            command.upgrade(config, "ledger_0013")
            with Session(bind=connection) as session:
                derived = session.scalars(
                    sa.select(ReportCategoryTotal).order_by(
                        ReportCategoryTotal.user_id == other,
                        ReportCategoryTotal.month,
                        ReportCategoryTotal.amount_minor,
                    )
                ).all()
                found = [
                    (row.user_id, row.month, row.money_in, row.currency, row.amount_minor,
                     row.transaction_count, row.first_date, row.last_date)
                    for row in derived
                ]  # fmt: skip
                ids = {row.id for row in derived}
            command.downgrade(config, "ledger_0012")
            tables = sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()

    assert found == [
        (user, march, False, "USD", -6_250, 3, dt.date(2026, 3, 3), dt.date(2026, 3, 30)),
        (user, march, True, "USD", 700, 1, dt.date(2026, 3, 9), dt.date(2026, 3, 9)),
        (user, april, False, "EUR", -300, 1, dt.date(2026, 4, 2), dt.date(2026, 4, 2)),
        (other, march, False, "USD", -5, 1, dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    ]
    assert len(ids) == 4 and all(isinstance(row_id, uuid.UUID) for row_id in ids)
    assert "ledger_report_category_totals" not in tables
    assert "ledger_report_totals" in tables
