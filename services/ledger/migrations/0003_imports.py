"""ledger: file imports (the import, its text in parts, its staged rows) and, on transactions,
which import added a row and the row's identity in its account (both nullable).

Revision ID: ledger_0003
Revises: ledger_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ledger_0003"
down_revision = "ledger_0002"
branch_labels = None
depends_on = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX: no table rebuild on SQLite, however many rows.
    op.add_column("ledger_transactions", sa.Column("import_id", sa.Uuid(), nullable=True))
    op.add_column(
        "ledger_transactions", sa.Column("import_key", sa.String(length=64), nullable=True)
    )
    op.create_index(
        "uq_ledger_transactions_account_id_import_key",
        "ledger_transactions",
        ["account_id", "import_key"],
        unique=True,
    )

    op.create_table(
        "ledger_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("bytes_received", sa.BigInteger(), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=True),
        sa.Column("head", sa.Text(), nullable=True),
        sa.Column("settings", sa.Text(), nullable=True),
        sa.Column("attempt_id", sa.Uuid(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("started_at", nullable=True),
        _timestamp("finished_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_imports_account_id_ledger_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_imports")),
    )
    op.create_index(op.f("ix_ledger_imports_account_id"), "ledger_imports", ["account_id"])
    op.create_index(
        "ix_ledger_imports_user_id_created_at_id",
        "ledger_imports",
        ["user_id", "created_at", "id"],
    )

    op.create_table(
        "ledger_import_parts",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ledger_imports.id"],
            name=op.f("fk_ledger_import_parts_import_id_ledger_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "number", name=op.f("pk_ledger_import_parts")),
    )

    op.create_table(
        "ledger_import_rows",
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("import_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ledger_imports.id"],
            name=op.f("fk_ledger_import_rows_import_id_ledger_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "row_number", name=op.f("pk_ledger_import_rows")),
    )
    op.create_index(op.f("ix_ledger_import_rows_import_id"), "ledger_import_rows", ["import_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_import_rows_import_id"), table_name="ledger_import_rows")
    op.drop_table("ledger_import_rows")
    op.drop_table("ledger_import_parts")
    op.drop_index("ix_ledger_imports_user_id_created_at_id", table_name="ledger_imports")
    op.drop_index(op.f("ix_ledger_imports_account_id"), table_name="ledger_imports")
    op.drop_table("ledger_imports")
    op.drop_index("uq_ledger_transactions_account_id_import_key", table_name="ledger_transactions")
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_column("import_key")
        batch.drop_column("import_id")
