"""ledger: the report totals by category (`ledger_report_category_totals`), summed over
accounts and payees from `ledger_report_totals`, so that a report by category reads one row
per category a month instead of grouping one per account, category and payee. Filled here
from the stored totals of every user; kept by reports/totals_upkeep.py from then on.

Revision ID: ledger_0013
Revises: ledger_0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0013"
down_revision: str | None = "ledger_0012"
branch_labels = None
depends_on = None

_KEY = "user_id, month, category_id, transfer, money_in, currency, converted_currency"


def upgrade() -> None:
    op.create_table(
        "ledger_report_category_totals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("transfer", sa.Boolean(), nullable=False),
        sa.Column("money_in", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("converted_currency", sa.String(length=3), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("converted_minor", sa.BigInteger(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_report_category_totals")),
    )
    op.create_index(
        "ix_ledger_report_category_totals_user_id_month",
        "ledger_report_category_totals",
        ["user_id", "month"],
        unique=False,
    )
    # A fresh id per row: PostgreSQL makes one; on SQLite the Uuid column holds 32 hex digits.
    new_id = (
        "gen_random_uuid()"
        if op.get_bind().dialect.name == "postgresql"
        else "lower(hex(randomblob(16)))"
    )
    # The names and the id expression are this file's own: nothing here comes from outside.
    op.execute(
        f"INSERT INTO ledger_report_category_totals (id, {_KEY}, amount_minor, "  # noqa: S608
        "converted_minor, transaction_count, first_date, last_date) "
        f"SELECT {new_id}, {_KEY}, sum(amount_minor), sum(converted_minor), "
        "sum(transaction_count), min(first_date), max(last_date) "
        f"FROM ledger_report_totals GROUP BY {_KEY}"
    )


def downgrade() -> None:
    op.drop_index(
        "ix_ledger_report_category_totals_user_id_month",
        table_name="ledger_report_category_totals",
    )
    op.drop_table("ledger_report_category_totals")
