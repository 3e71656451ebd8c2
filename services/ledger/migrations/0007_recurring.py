"""Ledger: recurring series detected in users' histories, with the user's verdict and
corrections.

A new table only: existing rows are untouched, and a user has no series until detection runs.

Revision ID: ledger_0007
Revises: ledger_0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0007"
down_revision: str | None = "ledger_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_recurring_series",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("series_key", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=True),
        sa.Column("detected_interval", sa.String(length=10), nullable=False),
        sa.Column("user_interval", sa.String(length=10), nullable=True),
        sa.Column("anchor_day", sa.Integer(), nullable=True),
        sa.Column("expected_minor", sa.BigInteger(), nullable=False),
        sa.Column("user_expected_minor", sa.BigInteger(), nullable=True),
        sa.Column("smallest_minor", sa.BigInteger(), nullable=False),
        sa.Column("largest_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurrence_count", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        _timestamp("detected_at"),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_recurring_series")),
        sa.UniqueConstraint(
            "user_id",
            "series_key",
            "currency",
            "direction",
            name=op.f("uq_ledger_recurring_series_key"),
        ),
    )
    op.create_index(
        "ix_ledger_recurring_series_user_id_last_date_id",
        "ledger_recurring_series",
        ["user_id", "last_date", "id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_ledger_recurring_series_user_id_last_date_id", table_name="ledger_recurring_series"
    )
    op.drop_table("ledger_recurring_series")
