"""ledger: transaction parts indexed by their user, so that counting a user's split
transactions (totalCount read from the monthly totals) reads theirs only.

Revision ID: ledger_0012
Revises: ledger_0011
"""

from __future__ import annotations

from alembic import op

revision: str = "ledger_0012"
down_revision: str | None = "ledger_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_ledger_transaction_splits_user_id", "ledger_transaction_splits", ["user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_transaction_splits_user_id", "ledger_transaction_splits")
