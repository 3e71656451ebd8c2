"""Migration ledger_0004 on a ledger that already has users: their group names become groups
in the default order, their categories keep their place, transactions and budgets; Transfers
and Income keep their meaning as kinds, the defaults become presets, and everyone budgets
with limits. Downgrading gives the group names back."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command

from tally.migrations import alembic_config

# The tables as ledger_0002 left them (the models have moved on since).
CATEGORIES = sa.table(
    "ledger_categories",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("group", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
SETTINGS = sa.table(
    "ledger_user_settings",
    sa.column("user_id", sa.Uuid()),
    sa.column("base_currency", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
BUDGETS = sa.table(
    "ledger_budgets",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("category_id", sa.Uuid()),
    sa.column("month", sa.String()),
    sa.column("amount_minor", sa.BigInteger()),
    sa.column("currency", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
# As an older version provisioned them (alphabetical insertion, one user without Travel).
OLD_DEFAULTS = (
    ("Dining", "Food"),
    ("Groceries", "Food"),
    ("Income", "Income"),
    ("Rent", "Housing"),
    ("Transfers", "Transfers"),
    ("Utilities", "Bills"),
)


def _rows(connection: sa.Connection, sql: str) -> list[Any]:
    return list(connection.execute(sa.text(sql)).all())


def test_existing_categories_become_groups_kinds_and_presets(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config("sqlite://")
    user = uuid.uuid4()
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    ids = {name: uuid.uuid4() for name, _ in OLD_DEFAULTS}
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "ledger_0002")
            connection.execute(
                sa.insert(SETTINGS).values(
                    user_id=user, base_currency="USD", created_at=now, updated_at=now
                )
            )
            for name, group in OLD_DEFAULTS:
                connection.execute(
                    sa.insert(CATEGORIES).values(
                        id=ids[name], user_id=user, name=name, group=group, created_at=now
                    )
                )
            connection.execute(
                sa.insert(BUDGETS).values(
                    id=uuid.uuid4(), user_id=user, category_id=ids["Dining"], month="2025-06",
                    amount_minor=12_345, currency="USD", created_at=now, updated_at=now,
                )
            )  # fmt: skip

            command.upgrade(config, "ledger_0004")

            groups = _rows(
                connection,
                "SELECT name, name_key, position FROM ledger_category_groups ORDER BY position",
            )
            categories = {
                row[0]: row[1:]
                for row in _rows(
                    connection,
                    "SELECT c.name, g.name, c.position, c.kind, c.name_key, c.hidden, c.rollover"
                    " FROM ledger_categories c JOIN ledger_category_groups g ON g.id = c.group_id",
                )
            }
            presets = dict(
                _rows(connection, "SELECT preset, category_id FROM ledger_category_presets")
            )
            style = _rows(connection, "SELECT budget_style FROM ledger_user_settings")
            budgets = _rows(connection, "SELECT category_id, amount_minor FROM ledger_budgets")

            command.downgrade(config, "ledger_0002")
            restored = dict(_rows(connection, 'SELECT name, "group" FROM ledger_categories'))
            tables = sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()

    assert groups == [
        ("Food", "food", 0),
        ("Housing", "housing", 1),
        ("Bills", "bills", 2),
        ("Income", "income", 3),
        ("Transfers", "transfers", 4),
    ]
    assert categories["Groceries"] == ("Food", 0, "expense", "groceries", False, False)
    assert categories["Dining"] == ("Food", 1, "expense", "dining", False, False)
    assert categories["Income"][2] == "income"
    assert categories["Transfers"][2] == "transfer"
    assert categories["Utilities"][:3] == ("Bills", 0, "expense")
    assert {name: uuid.UUID(hex=value) for name, value in presets.items()} == ids
    assert style == [("limits",)]
    assert budgets == [(ids["Dining"].hex, 12_345)]
    assert restored == dict(OLD_DEFAULTS)
    assert "ledger_category_groups" not in tables
    assert "ledger_category_presets" not in tables
