"""Ledger: categories, accounts, transactions, pending tombstones, budgets, goals.

Revision ID: ledger_0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("ledger",)
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_categories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("group", sa.String(length=60), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_categories")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_ledger_categories_user_id_name")),
    )
    op.create_index(
        op.f("ix_ledger_categories_user_id"), "ledger_categories", ["user_id"], unique=False
    )

    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opening_balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("item_ref", sa.Uuid(), nullable=True),
        sa.Column("provider_account_id", sa.String(length=100), nullable=True),
        sa.Column("mask", sa.String(length=8), nullable=True),
        sa.Column("bank_balance_minor", sa.BigInteger(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint(
            "item_ref",
            "provider_account_id",
            name=op.f("uq_ledger_accounts_item_ref_provider_account_id"),
        ),
    )
    op.create_index(op.f("ix_ledger_accounts_item_ref"), "ledger_accounts", ["item_ref"])
    op.create_index(op.f("ix_ledger_accounts_user_id"), "ledger_accounts", ["user_id"])

    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("category_source", sa.String(length=10), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("item_ref", sa.Uuid(), nullable=True),
        sa.Column("provider_transaction_id", sa.String(length=100), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_transactions_account_id_ledger_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_transactions_category_id_ledger_categories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
        sa.UniqueConstraint(
            "item_ref",
            "provider_transaction_id",
            name=op.f("uq_ledger_transactions_item_ref_provider_transaction_id"),
        ),
    )
    op.create_index(
        op.f("ix_ledger_transactions_account_id"), "ledger_transactions", ["account_id"]
    )
    op.create_index(
        op.f("ix_ledger_transactions_category_id"), "ledger_transactions", ["category_id"]
    )
    op.create_index(
        "ix_ledger_transactions_user_id_date_id", "ledger_transactions", ["user_id", "date", "id"]
    )

    op.create_table(
        "ledger_pending_tombstones",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("item_ref", sa.Uuid(), nullable=False),
        sa.Column("provider_transaction_id", sa.String(length=100), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("category_source", sa.String(length=10), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        _timestamp("removed_at"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_pending_tombstones_category_id_ledger_categories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_pending_tombstones")),
        sa.UniqueConstraint(
            "item_ref",
            "provider_transaction_id",
            name=op.f("uq_ledger_pending_tombstones_item_ref_provider_transaction_id"),
        ),
    )

    op.create_table(
        "ledger_budgets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_budgets_category_id_ledger_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_budgets")),
        sa.UniqueConstraint(
            "user_id",
            "category_id",
            "month",
            name=op.f("uq_ledger_budgets_user_id_category_id_month"),
        ),
    )
    op.create_index(op.f("ix_ledger_budgets_category_id"), "ledger_budgets", ["category_id"])

    op.create_table(
        "ledger_goals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("target_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_goals")),
    )
    op.create_index(op.f("ix_ledger_goals_user_id"), "ledger_goals", ["user_id"])

    op.create_table(
        "ledger_goal_contributions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("contributed_on", sa.Date(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["ledger_goals.id"],
            name=op.f("fk_ledger_goal_contributions_goal_id_ledger_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_goal_contributions")),
    )
    op.create_index(
        op.f("ix_ledger_goal_contributions_goal_id"), "ledger_goal_contributions", ["goal_id"]
    )


def downgrade() -> None:
    op.drop_table("ledger_goal_contributions")
    op.drop_table("ledger_goals")
    op.drop_table("ledger_budgets")
    op.drop_table("ledger_pending_tombstones")
    op.drop_table("ledger_transactions")
    op.drop_table("ledger_accounts")
    op.drop_table("ledger_categories")
