"""Queries of categories and their groups, each scoped by the owning user; and the references
to a category that a merge or a deletion moves (transactions, pending tombstones, budgets,
presets)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import (
    Budget,
    Category,
    CategoryGroup,
    CategoryPreset,
    Goal,
    PendingTombstone,
    Transaction,
    TransactionSplit,
)
from shared.db import RowQuery
from shared.sql import scalars_in_chunks

# --- categories and groups ---------------------------------------------------------------


async def categories_for_user(
    session: AsyncSession, user_id: uuid.UUID, *, include_hidden: bool = True
) -> list[Category]:
    """In the user's order: by group, then by place within the group."""
    statement = (
        select(Category)
        .join(CategoryGroup, CategoryGroup.id == Category.group_id)
        .where(Category.user_id == user_id)
        .order_by(
            CategoryGroup.position,
            CategoryGroup.name_key,
            Category.position,
            Category.name_key,
        )
    )
    if not include_hidden:
        statement = statement.where(Category.hidden.is_(False))
    return list(await session.scalars(statement))


_CATEGORY_ATTRIBUTES = tuple(attribute.key for attribute in Category.__mapper__.column_attrs)
_CATEGORY_MANAGER = Category.__mapper__.class_manager


class CategoriesToRead:
    """Reads a user's categories in their order as copies that belong to no session (a change
    to one is never saved): for reads that only look, such as reports, which read them on
    every request. In a read session the rows come without the ORM's loading (RowQuery).

    `along`: values of the caller's read in the same statement (scalar expressions, bound
    by the same `user_id` parameter), returned beside the categories: one round trip for
    both. A user without categories still gets them (from a row of NULL category values)."""

    def __init__(self, *along: ColumnElement[Any]) -> None:
        # One row to join the categories to: the values along, or a constant without any.
        values = along or (literal(0),)
        first = select(*(value.label(f"along_{n}") for n, value in enumerate(values))).subquery()
        ordered = Category.__table__.join(
            CategoryGroup.__table__, CategoryGroup.id == Category.group_id
        )
        self._along, self._width = len(along), len(values)
        self._query = RowQuery(
            select(*first.c, *(getattr(Category, name) for name in _CATEGORY_ATTRIBUTES))
            .select_from(first.outerjoin(ordered, Category.user_id == bindparam("user_id")))
            .order_by(
                CategoryGroup.position,
                CategoryGroup.name_key,
                Category.position,
                Category.name_key,
            )
        )

    async def read(
        self, session: AsyncSession, user_id: uuid.UUID
    ) -> tuple[list[Category], Sequence[Any]]:
        rows = await self._query.all(session, user_id=user_id)
        width = self._width
        categories = [_copy_of(row[width:]) for row in rows if row[width] is not None]
        return categories, tuple(rows[0][: self._along])


def _copy_of(row: Sequence[object]) -> Category:
    # As the ORM loads a row: the values go straight into the new instance's dict (the
    # constructor would record each as a change, which costs more than the read).
    category: Category = _CATEGORY_MANAGER.new_instance()
    category.__dict__.update(zip(_CATEGORY_ATTRIBUTES, row, strict=True))
    return category


async def categories_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Category]:
    return await rows.owned_by_ids(session, Category, user_id, ids)


async def category_for_user(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> Category | None:
    return await session.scalar(
        select(Category).where(Category.user_id == user_id, Category.id == category_id)
    )


async def category_named(
    session: AsyncSession, user_id: uuid.UUID, name_key: str
) -> Category | None:
    return await session.scalar(
        select(Category).where(Category.user_id == user_id, Category.name_key == name_key)
    )


async def count_categories(session: AsyncSession, user_id: uuid.UUID) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Category).where(Category.user_id == user_id)
    )
    return int(total or 0)


async def categories_in_groups(
    session: AsyncSession,
    user_id: uuid.UUID,
    group_ids: Sequence[uuid.UUID],
    *,
    include_hidden: bool = True,
) -> list[Category]:
    """The categories of these groups, each group's in its order."""

    def statement(chunk: Sequence[uuid.UUID]) -> Select[Category]:
        query = select(Category).where(Category.user_id == user_id, Category.group_id.in_(chunk))
        if not include_hidden:
            query = query.where(Category.hidden.is_(False))
        return query

    found = await scalars_in_chunks(session, group_ids, statement)
    return sorted(found, key=lambda row: (row.position, row.name_key))


async def groups_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[CategoryGroup]:
    result = await session.scalars(
        select(CategoryGroup)
        .where(CategoryGroup.user_id == user_id)
        .order_by(CategoryGroup.position, CategoryGroup.name_key)
    )
    return list(result)


async def groups_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[CategoryGroup]:
    return await rows.owned_by_ids(session, CategoryGroup, user_id, ids)


async def group_for_user(
    session: AsyncSession, user_id: uuid.UUID, group_id: uuid.UUID
) -> CategoryGroup | None:
    return await session.scalar(
        select(CategoryGroup).where(CategoryGroup.user_id == user_id, CategoryGroup.id == group_id)
    )


async def presets(session: AsyncSession, user_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Default category name -> the user's category standing for it."""
    result = await session.execute(
        select(CategoryPreset.preset, CategoryPreset.category_id).where(
            CategoryPreset.user_id == user_id
        )
    )
    return dict(result.all())


async def has_budgeted_amounts(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> bool:
    """Whether any month gives the category a budget other than zero."""
    found = await session.scalar(
        select(
            exists().where(
                Budget.user_id == user_id,
                Budget.category_id == category_id,
                Budget.amount_minor != 0,
            )
        )
    )
    return bool(found)


# --- what refers to a category (merge and delete) ------------------------------------------


async def transactions_in_category(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> list[tuple[uuid.UUID, dt.date]]:
    """(id, date) of the user's transactions in the category, split ones with a part in it
    included."""
    with_part = select(TransactionSplit.transaction_id).where(
        TransactionSplit.user_id == user_id, TransactionSplit.category_id == category_id
    )
    result = await session.execute(
        select(Transaction.id, Transaction.date).where(
            Transaction.user_id == user_id,
            or_(Transaction.category_id == category_id, Transaction.id.in_(with_part)),
        )
    )
    return [(transaction_id, day) for transaction_id, day in result]


async def recategorize(
    session: AsyncSession,
    user_id: uuid.UUID,
    source_id: uuid.UUID,
    target_id: uuid.UUID | None,
) -> None:
    """Every transaction, split part and pending tombstone of the source category moves to the
    target (None: uncategorized). Who chose the category (the bank or the user) stays as it
    was."""
    await session.execute(
        update(Transaction)
        .where(Transaction.user_id == user_id, Transaction.category_id == source_id)
        .values(category_id=target_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(TransactionSplit)
        .where(TransactionSplit.user_id == user_id, TransactionSplit.category_id == source_id)
        .values(category_id=target_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PendingTombstone)
        .where(PendingTombstone.user_id == user_id, PendingTombstone.category_id == source_id)
        .values(category_id=target_id)
        .execution_options(synchronize_session=False)
    )


async def budgets_of(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> list[Budget]:
    result = await session.scalars(
        select(Budget).where(Budget.user_id == user_id, Budget.category_id == category_id)
    )
    return list(result)


async def move_presets(
    session: AsyncSession, user_id: uuid.UUID, source_id: uuid.UUID, target_id: uuid.UUID
) -> None:
    await session.execute(
        update(CategoryPreset)
        .where(CategoryPreset.user_id == user_id, CategoryPreset.category_id == source_id)
        .values(category_id=target_id)
        .execution_options(synchronize_session=False)
    )


async def forget_presets(session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID) -> None:
    await session.execute(
        delete(CategoryPreset).where(
            CategoryPreset.user_id == user_id, CategoryPreset.category_id == category_id
        )
    )


async def goal_names_funded_by(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> list[str]:
    """The names of the user's goals that count what is saved in this category."""
    found = await session.scalars(
        select(Goal.name).where(Goal.user_id == user_id, Goal.category_id == category_id)
    )
    return list(found)


async def move_goals(
    session: AsyncSession, user_id: uuid.UUID, source_id: uuid.UUID, target_id: uuid.UUID
) -> None:
    """Goals funded by the source category are funded by the target from now on."""
    await session.execute(
        update(Goal)
        .where(Goal.user_id == user_id, Goal.category_id == source_id)
        .values(category_id=target_id)
    )
