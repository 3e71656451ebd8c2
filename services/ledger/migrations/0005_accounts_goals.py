"""Ledger: accounts that close and reconcile, goals that pause and are funded three ways.

Accounts get an institution label and a close (moment and day); transactions a cleared flag
(every existing one starts uncleared); reconciliations are a new table. Goals get a pause
moment and their funding: every existing goal stays funded by its contributions, counted
since the day it was created (`funded_since` null).

Revision ID: ledger_0005
Revises: ledger_0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0005"
down_revision: str | None = "ledger_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_accounts") as batch:
        batch.add_column(sa.Column("institution_label", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.add_column(
            sa.Column("cleared", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "ledger_reconciliations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("statement_balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("cleared_balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_reconciliations_account_id_ledger_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_reconciliations")),
    )
    op.create_index(
        "ix_ledger_reconciliations_account_id_created_at",
        "ledger_reconciliations",
        ["account_id", "created_at"],
    )
    with op.batch_alter_table("ledger_goals") as batch:
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column(
                "funding", sa.String(length=20), server_default="contributions", nullable=False
            )
        )
        batch.add_column(sa.Column("account_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("category_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("funded_since", sa.Date(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_ledger_goals_account_id_ledger_accounts"),
            "ledger_accounts",
            ["account_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_ledger_goals_category_id_ledger_categories"),
            "ledger_categories",
            ["category_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_goals") as batch:
        batch.drop_constraint(
            op.f("fk_ledger_goals_category_id_ledger_categories"), type_="foreignkey"
        )
        batch.drop_constraint(
            op.f("fk_ledger_goals_account_id_ledger_accounts"), type_="foreignkey"
        )
        batch.drop_column("funded_since")
        batch.drop_column("category_id")
        batch.drop_column("account_id")
        batch.drop_column("funding")
        batch.drop_column("paused_at")
    op.drop_index(
        "ix_ledger_reconciliations_account_id_created_at", table_name="ledger_reconciliations"
    )
    op.drop_table("ledger_reconciliations")
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_column("cleared_at")
        batch.drop_column("cleared")
    with op.batch_alter_table("ledger_accounts") as batch:
        batch.drop_column("closed_on")
        batch.drop_column("closed_at")
        batch.drop_column("institution_label")
