"""Ledger: transaction rules (conditions -> actions, in the user's order), the tags each adds,
and who put a transaction's tags on it (so that rules add tags only until the user edits them).

Existing transactions and tombstones get a null `tags_source` (nobody chose their tags: a rule
may add some); nothing else of them changes. A user has no rules until they make one.

Revision ID: ledger_0008
Revises: ledger_0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0008"
down_revision: str | None = "ledger_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "ledger_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("set_category_id", sa.Uuid(), nullable=True),
        sa.Column("set_payee_id", sa.Uuid(), nullable=True),
        sa.Column("mark_as_transfer", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("applied_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        _timestamp("last_applied_at", nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["set_category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_rules_set_category_id_ledger_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["set_payee_id"],
            ["ledger_payees.id"],
            name=op.f("fk_ledger_rules_set_payee_id_ledger_payees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_rules")),
    )
    op.create_index(
        "ix_ledger_rules_user_id_position_id", "ledger_rules", ["user_id", "position", "id"]
    )
    op.create_index(op.f("ix_ledger_rules_set_category_id"), "ledger_rules", ["set_category_id"])
    op.create_index(op.f("ix_ledger_rules_set_payee_id"), "ledger_rules", ["set_payee_id"])
    op.create_table(
        "ledger_rule_tags",
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["ledger_rules.id"],
            name=op.f("fk_ledger_rule_tags_rule_id_ledger_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["ledger_tags.id"],
            name=op.f("fk_ledger_rule_tags_tag_id_ledger_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", "tag_id", name=op.f("pk_ledger_rule_tags")),
    )
    op.create_index(op.f("ix_ledger_rule_tags_tag_id"), "ledger_rule_tags", ["tag_id"])
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.add_column(sa.Column("tags_source", sa.String(length=10), nullable=True))
    with op.batch_alter_table("ledger_pending_tombstones") as batch:
        batch.add_column(sa.Column("tags_source", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_pending_tombstones") as batch:
        batch.drop_column("tags_source")
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_column("tags_source")
    op.drop_index(op.f("ix_ledger_rule_tags_tag_id"), table_name="ledger_rule_tags")
    op.drop_table("ledger_rule_tags")
    op.drop_index(op.f("ix_ledger_rules_set_payee_id"), table_name="ledger_rules")
    op.drop_index(op.f("ix_ledger_rules_set_category_id"), table_name="ledger_rules")
    op.drop_index("ix_ledger_rules_user_id_position_id", table_name="ledger_rules")
    op.drop_table("ledger_rules")
