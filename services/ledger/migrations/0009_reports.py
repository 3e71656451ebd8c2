"""Ledger: report totals, each user's transactions summed per month, account, category, payee,
transfer flag, sign and currency pair, kept by every write in its own unit of work; and which
users' totals are built.

New tables only: existing rows are untouched. Users older than this revision have no built
totals, so their reports read transactions directly (the same answers) until
`tally rebuild-reports` (which `tally migrate` runs) sums their histories.

Revision ID: ledger_0009
Revises: ledger_0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0009"
down_revision: str | None = "ledger_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_report_totals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("payee_id", sa.Uuid(), nullable=True),
        sa.Column("transfer", sa.Boolean(), nullable=False),
        sa.Column("money_in", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("converted_currency", sa.String(length=3), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("converted_minor", sa.BigInteger(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_report_totals")),
    )
    op.create_index(
        "ix_ledger_report_totals_user_id_month",
        "ledger_report_totals",
        ["user_id", "month"],
        unique=False,
    )
    op.create_table(
        "ledger_report_totals_built",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_ledger_report_totals_built")),
    )


def downgrade() -> None:
    op.drop_table("ledger_report_totals_built")
    op.drop_index("ix_ledger_report_totals_user_id_month", table_name="ledger_report_totals")
    op.drop_table("ledger_report_totals")
