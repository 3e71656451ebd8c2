"""Ledger: payees (with the normalised descriptions that mean them), tags, split transactions,
transfers between the user's own accounts, and a reviewed flag; pending tombstones remember
those edits too.

Existing transactions count as reviewed (the flag starts now: "unreviewed" means new since the
user last looked) and have no payee until their description is next written; nothing else of
them changes.

Revision ID: ledger_0006
Revises: ledger_0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0006"
down_revision: str | None = "ledger_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_payees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_payees")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_ledger_payees_user_id_name")),
    )
    op.create_table(
        "ledger_payee_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("payee_id", sa.Uuid(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["payee_id"],
            ["ledger_payees.id"],
            name=op.f("fk_ledger_payee_keys_payee_id_ledger_payees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_ledger_payee_keys")),
    )
    op.create_index(op.f("ix_ledger_payee_keys_payee_id"), "ledger_payee_keys", ["payee_id"])
    op.create_table(
        "ledger_tags",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_tags")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_ledger_tags_user_id_name")),
    )

    with op.batch_alter_table("ledger_transactions") as batch:
        batch.add_column(sa.Column("payee_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("payee_source", sa.String(length=10), nullable=True))
        batch.add_column(
            sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("transfer_counterpart_id", sa.Uuid(), nullable=True))
        batch.create_index(op.f("ix_ledger_transactions_payee_id"), ["payee_id"])
        batch.create_foreign_key(
            op.f("fk_ledger_transactions_payee_id_ledger_payees"),
            "ledger_payees",
            ["payee_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_ledger_transactions_transfer_counterpart_id_ledger_transactions"),
            "ledger_transactions",
            ["transfer_counterpart_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint(
            op.f("uq_ledger_transactions_transfer_counterpart_id"), ["transfer_counterpart_id"]
        )
    transactions = sa.table("ledger_transactions", sa.column("reviewed", sa.Boolean()))
    op.execute(transactions.update().values(reviewed=True))

    op.create_table(
        "ledger_transaction_tags",
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_transaction_tags_transaction_id_ledger_transactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["ledger_tags.id"],
            name=op.f("fk_ledger_transaction_tags_tag_id_ledger_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "transaction_id", "tag_id", name=op.f("pk_ledger_transaction_tags")
        ),
    )
    op.create_index(
        op.f("ix_ledger_transaction_tags_tag_id"), "ledger_transaction_tags", ["tag_id"]
    )
    op.create_table(
        "ledger_transaction_splits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_transaction_splits_transaction_id_ledger_transactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_transaction_splits_category_id_ledger_categories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transaction_splits")),
        sa.UniqueConstraint(
            "transaction_id",
            "position",
            name=op.f("uq_ledger_transaction_splits_transaction_id_position"),
        ),
    )
    op.create_index(
        op.f("ix_ledger_transaction_splits_category_id"),
        "ledger_transaction_splits",
        ["category_id"],
    )

    with op.batch_alter_table("ledger_pending_tombstones") as batch:
        batch.add_column(sa.Column("payee_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("payee_source", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("reviewed", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("transfer_counterpart_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("tag_ids", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("split_parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_pending_tombstones") as batch:
        for column in (
            "split_parts",
            "tag_ids",
            "transfer_counterpart_id",
            "reviewed",
            "payee_source",
            "payee_id",
        ):
            batch.drop_column(column)
    op.drop_index(
        op.f("ix_ledger_transaction_splits_category_id"), table_name="ledger_transaction_splits"
    )
    op.drop_table("ledger_transaction_splits")
    op.drop_index(op.f("ix_ledger_transaction_tags_tag_id"), table_name="ledger_transaction_tags")
    op.drop_table("ledger_transaction_tags")
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_constraint(
            op.f("uq_ledger_transactions_transfer_counterpart_id"), type_="unique"
        )
        batch.drop_constraint(
            op.f("fk_ledger_transactions_transfer_counterpart_id_ledger_transactions"),
            type_="foreignkey",
        )
        batch.drop_constraint(
            op.f("fk_ledger_transactions_payee_id_ledger_payees"), type_="foreignkey"
        )
        batch.drop_index(op.f("ix_ledger_transactions_payee_id"))
        batch.drop_column("transfer_counterpart_id")
        batch.drop_column("reviewed")
        batch.drop_column("payee_source")
        batch.drop_column("payee_id")
    op.drop_table("ledger_tags")
    op.drop_index(op.f("ix_ledger_payee_keys_payee_id"), table_name="ledger_payee_keys")
    op.drop_table("ledger_payee_keys")
    op.drop_table("ledger_payees")
