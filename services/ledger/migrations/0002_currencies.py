"""Ledger: each user's base currency, their exchange rates, and each transaction's converted
figure with the rate it was converted at.

Existing users get a base currency the way the ledger used to guess it: their first account's
currency, else USD. No rates exist yet, so no transaction is converted: those in the base
currency count at their own amount, the others wait for a rate (as they did).

Revision ID: ledger_0002
Revises: ledger_0001
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0002"
down_revision: str | None = "ledger_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_BASE_CURRENCY = "USD"


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_user_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_ledger_user_settings")),
    )
    op.create_table(
        "ledger_exchange_rates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote_currency", sa.String(length=3), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_exchange_rates")),
        sa.UniqueConstraint(
            "user_id",
            "currency",
            "quote_currency",
            "date",
            name=op.f("uq_ledger_exchange_rates_user_id_currency_quote_currency_date"),
        ),
    )
    op.create_index(
        "ix_ledger_exchange_rates_user_id_date_id",
        "ledger_exchange_rates",
        ["user_id", "date", "id"],
    )
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.add_column(sa.Column("converted_minor", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("converted_currency", sa.String(length=3), nullable=True))
        batch.add_column(sa.Column("conversion_rate", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("conversion_rate_date", sa.Date(), nullable=True))
    _give_existing_users_a_base_currency()


def _give_existing_users_a_base_currency() -> None:
    """Every user the ledger knows (each was given categories; some have accounts) gets their
    first account's currency, else USD."""
    accounts = sa.table(
        "ledger_accounts",
        sa.column("user_id", sa.Uuid()),
        sa.column("currency", sa.String(3)),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("id", sa.Uuid()),
    )
    categories = sa.table("ledger_categories", sa.column("user_id", sa.Uuid()))
    settings = sa.table(
        "ledger_user_settings",
        sa.column("user_id", sa.Uuid()),
        sa.column("base_currency", sa.String(3)),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    users = sa.union(sa.select(categories.c.user_id), sa.select(accounts.c.user_id)).subquery(
        "users"
    )
    first_currency = (
        sa.select(accounts.c.currency)
        .where(accounts.c.user_id == users.c.user_id)
        .order_by(accounts.c.created_at, accounts.c.id)
        .limit(1)
        .scalar_subquery()
    )
    now = sa.literal(dt.datetime.now(dt.UTC), sa.DateTime(timezone=True))
    op.execute(
        settings.insert().from_select(
            ["user_id", "base_currency", "created_at", "updated_at"],
            sa.select(
                users.c.user_id,
                sa.func.coalesce(first_currency, DEFAULT_BASE_CURRENCY),
                now,
                now,
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_column("conversion_rate_date")
        batch.drop_column("conversion_rate")
        batch.drop_column("converted_currency")
        batch.drop_column("converted_minor")
    op.drop_index("ix_ledger_exchange_rates_user_id_date_id", table_name="ledger_exchange_rates")
    op.drop_table("ledger_exchange_rates")
    op.drop_table("ledger_user_settings")
