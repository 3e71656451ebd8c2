"""Ledger: the user's own categories, and both budgeting styles.

- Category groups become rows of their own (`ledger_category_groups`, with the user's order);
  a category names its group by id, has a position in it, may be hidden, has a kind (expense,
  income, transfer) and a rollover flag. Names are unique per user case-insensitively (a
  case-folded `name_key`).
- `ledger_category_presets`: which category stands for each default category, so that bank
  hints keep landing in it after the user renames, moves or merges it.
- `ledger_user_settings.budget_style`: "limits" (the only style so far) or "envelope".

Existing users keep their categories: each distinct group name becomes a group (the default
groups in the default order), each category keeps its place, the categories of the
"Transfers" group become transfers and those of the "Income" group income (what reports made
of those groups until now), and the default categories each become their own preset. Every
category name so far came from the defaults (ASCII), so SQL's lower() is the case-folding the
service applies to new names.

On SQLite the batch operations copy tables; the migration connection runs with foreign keys
off (SQLite's default, which Alembic's environment keeps), so no cascade fires meanwhile.

Revision ID: ledger_0004
Revises: ledger_0005
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0004"
down_revision: str | None = "ledger_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The defaults as they were provisioned until now (name, group), in their order.
DEFAULTS: tuple[tuple[str, str], ...] = (
    ("Groceries", "Food"),
    ("Dining", "Food"),
    ("Rent", "Housing"),
    ("Home", "Housing"),
    ("Utilities", "Bills"),
    ("Fees", "Bills"),
    ("Transport", "Transport"),
    ("Travel", "Transport"),
    ("Shopping", "Lifestyle"),
    ("Entertainment", "Lifestyle"),
    ("Personal Care", "Lifestyle"),
    ("Health", "Health"),
    ("Income", "Income"),
    ("Transfers", "Transfers"),
)
DEFAULT_GROUPS = tuple(dict.fromkeys(group for _, group in DEFAULTS))
# After the defaults: a group or category the defaults do not name (none existed) goes last.
UNKNOWN_POSITION = len(DEFAULTS)

groups = sa.table(
    "ledger_category_groups",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
categories = sa.table(
    "ledger_categories",
    sa.column("id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("group", sa.String()),
    sa.column("group_id", sa.Uuid()),
    sa.column("name_key", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
presets = sa.table(
    "ledger_category_presets",
    sa.column("user_id", sa.Uuid()),
    sa.column("preset", sa.String()),
    sa.column("category_id", sa.Uuid()),
)


def upgrade() -> None:
    op.create_table(
        "ledger_category_groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=180), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_category_groups")),
        sa.UniqueConstraint(
            "user_id", "name_key", name=op.f("uq_ledger_category_groups_user_id_name_key")
        ),
    )
    op.create_index(
        op.f("ix_ledger_category_groups_user_id"), "ledger_category_groups", ["user_id"]
    )
    with op.batch_alter_table("ledger_categories") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=180), nullable=True))
        batch.add_column(sa.Column("group_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("kind", sa.String(length=10), server_default="expense", nullable=False)
        )
        batch.add_column(
            sa.Column("rollover", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    _make_groups_of_group_names()
    _place_name_and_kind_categories()
    with op.batch_alter_table("ledger_categories") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=180), nullable=False)
        batch.alter_column("group_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_ledger_categories_group_id_ledger_category_groups"),
            "ledger_category_groups",
            ["group_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_ledger_categories_group_id"), ["group_id"])
        batch.drop_constraint("uq_ledger_categories_user_id_name", type_="unique")
        batch.create_unique_constraint(
            op.f("uq_ledger_categories_user_id_name_key"), ["user_id", "name_key"]
        )
        batch.drop_column("group")

    op.create_table(
        "ledger_category_presets",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("preset", sa.String(length=60), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["ledger_categories.id"],
            name=op.f("fk_ledger_category_presets_category_id_ledger_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "preset", name=op.f("pk_ledger_category_presets")),
    )
    op.create_index(
        op.f("ix_ledger_category_presets_category_id"), "ledger_category_presets", ["category_id"]
    )
    op.execute(
        presets.insert().from_select(
            ["user_id", "preset", "category_id"],
            sa.select(categories.c.user_id, categories.c.name, categories.c.id).where(
                categories.c.name.in_([name for name, _ in DEFAULTS])
            ),
        )
    )

    with op.batch_alter_table("ledger_user_settings") as batch:
        batch.add_column(
            sa.Column("budget_style", sa.String(length=10), server_default="limits", nullable=False)
        )


def _new_uuid() -> sa.ColumnElement[object]:
    """A fresh uuid per row, in SQL (sa.Uuid keeps 32 hex digits on SQLite)."""
    if op.get_bind().dialect.name == "postgresql":
        return sa.func.gen_random_uuid()
    return sa.func.lower(sa.func.hex(sa.func.randomblob(16)))


def _default_order(names: sa.ColumnElement[str], defaults: Sequence[str]) -> sa.Case[int]:
    return sa.case(
        {name: index for index, name in enumerate(defaults)}, value=names, else_=UNKNOWN_POSITION
    )


def _rank(
    scope: sa.ColumnElement[bool], names: Any, name: Any, defaults: Sequence[str], count: Any
) -> sa.ScalarSelect[int]:
    """How many of the names in `scope` come before `name`: in the defaults' order, then
    alphabetically. So positions count 0, 1, 2... whichever defaults a user was given."""
    before = sa.or_(
        _default_order(names, defaults) < _default_order(name, defaults),
        sa.and_(_default_order(names, defaults) == _default_order(name, defaults), names < name),
    )
    return sa.select(count).where(scope, before).scalar_subquery()


def _make_groups_of_group_names() -> None:
    """One group per distinct (user, group name), in the default order; each category then
    names its group by id. (Only the categories table is read while positions are counted.)"""
    distinct = (
        sa.select(
            categories.c.user_id,
            categories.c.group,
            sa.func.min(categories.c.created_at).label("created_at"),
        )
        .group_by(categories.c.user_id, categories.c.group)
        .subquery("distinct_groups")
    )
    other = categories.alias("other")
    position = _rank(
        other.c.user_id == distinct.c.user_id,
        other.c.group,
        distinct.c.group,
        DEFAULT_GROUPS,
        sa.func.count(sa.distinct(other.c.group)),
    )
    op.execute(
        groups.insert().from_select(
            ["id", "user_id", "name", "name_key", "position", "created_at"],
            sa.select(
                _new_uuid(),
                distinct.c.user_id,
                distinct.c.group,
                sa.func.lower(distinct.c.group),
                position,
                distinct.c.created_at,
            ),
        )
    )
    op.execute(
        categories.update().values(
            group_id=sa.select(groups.c.id)
            .where(groups.c.user_id == categories.c.user_id, groups.c.name == categories.c.group)
            .scalar_subquery()
        )
    )


def _place_name_and_kind_categories() -> None:
    """Each category's place in its group (counted over columns this update leaves alone),
    its case-folded name, and its kind."""
    other = categories.alias("other")
    op.execute(
        categories.update().values(
            name_key=sa.func.lower(categories.c.name),
            position=_rank(
                sa.and_(
                    other.c.user_id == categories.c.user_id,
                    other.c.group == categories.c.group,
                ),
                other.c.name,
                categories.c.name,
                [name for name, _ in DEFAULTS],
                sa.func.count(),
            ),
            kind=sa.case(
                {"Transfers": "transfer", "Income": "income"},
                value=categories.c.group,
                else_="expense",
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("ledger_user_settings") as batch:
        batch.drop_column("budget_style")
    op.drop_index(
        op.f("ix_ledger_category_presets_category_id"), table_name="ledger_category_presets"
    )
    op.drop_table("ledger_category_presets")
    with op.batch_alter_table("ledger_categories") as batch:
        batch.add_column(sa.Column("group", sa.String(length=60), nullable=True))
    op.execute(
        categories.update().values(
            group=sa.select(groups.c.name)
            .where(groups.c.id == categories.c.group_id)
            .scalar_subquery()
        )
    )
    with op.batch_alter_table("ledger_categories") as batch:
        batch.alter_column("group", existing_type=sa.String(length=60), nullable=False)
        batch.drop_constraint("uq_ledger_categories_user_id_name_key", type_="unique")
        batch.create_unique_constraint("uq_ledger_categories_user_id_name", ["user_id", "name"])
        batch.drop_index(op.f("ix_ledger_categories_group_id"))
        batch.drop_constraint(
            op.f("fk_ledger_categories_group_id_ledger_category_groups"), type_="foreignkey"
        )
        batch.drop_column("rollover")
        batch.drop_column("kind")
        batch.drop_column("hidden")
        batch.drop_column("position")
        batch.drop_column("group_id")
        batch.drop_column("name_key")
    op.drop_index(op.f("ix_ledger_category_groups_user_id"), table_name="ledger_category_groups")
    op.drop_table("ledger_category_groups")
