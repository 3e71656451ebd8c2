"""ledger: a staged import row carries the payee its description names, so that imported
transactions get payees like bank and hand-made ones.

Revision ID: ledger_0010
Revises: ledger_0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0010"
down_revision: str | None = "ledger_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_import_rows") as batch:
        batch.add_column(sa.Column("payee_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_import_rows") as batch:
        batch.drop_column("payee_id")
