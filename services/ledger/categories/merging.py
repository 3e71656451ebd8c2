"""Merging two categories into one, and deleting one: everything that refers to the category
(transactions, the edits kept for pending bank transactions, budgets, the defaults it stands
for, the goals it funds) moves with it or is let go, in the caller's unit of work, and the
transactions whose category changed are announced."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.categories import repository
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.events import announce_transactions_changed
from services.ledger.models import Budget, Category
from shared.db import UnitOfWork
from shared.errors import BadUserInput


@dataclass(frozen=True)
class Merge:
    target: Category
    moved_transactions: int
    moved_budgets: int


async def merge_categories(
    work: UnitOfWork, user_id: uuid.UUID, source_id: uuid.UUID, target_id: uuid.UUID
) -> Merge:
    """Move everything of the source category into the target and delete the source, in one
    unit of work: its transactions (history included) and pending bank transactions' kept
    edits, its budgets (a month both budgeted adds the two amounts), and the defaults it stood
    for (bank hints land in the target from now on). The target keeps its name, group, kind
    and flags. Categories of different kinds are not merged."""
    session = work.session
    if source_id == target_id:
        raise BadUserInput("input.targetId", "must be another category than input.sourceId")
    await rows.lock_user(session, user_id)
    source = await category_service.require_category(session, user_id, source_id)
    target = await category_service.require_category(session, user_id, target_id)
    if source.kind != target.kind:
        raise BadUserInput(
            "input.targetId",
            f"is of kind {target.kind} and input.sourceId of kind {source.kind}: "
            "merge categories of the same kind",
        )
    moved = await repository.transactions_in_category(session, user_id, source.id)
    await repository.recategorize(session, user_id, source.id, target.id)
    moved_budgets = await _merge_budgets(session, user_id, source, target)
    await repository.move_presets(session, user_id, source.id, target.id)
    await repository.move_goals(session, user_id, source.id, target.id)
    await _delete(session, user_id, source)
    announce_transactions_changed(work, user_id, [i for i, _ in moved], [d for _, d in moved])
    return Merge(target=target, moved_transactions=len(moved), moved_budgets=moved_budgets)


async def _merge_budgets(
    session: AsyncSession, user_id: uuid.UUID, source: Category, target: Category
) -> int:
    """The source's budgets become the target's; a month both have adds up. Amounts in
    different currencies (one set before the base currency changed) do not add: the one in
    the base currency stays, as budgets count no other."""
    kept = {row.month: row for row in await repository.budgets_of(session, user_id, target.id)}
    moving = await repository.budgets_of(session, user_id, source.id)
    base = await currency_service.base_currency(session, user_id) if moving else ""
    doomed: list[Budget] = []
    for row in moving:
        into = kept.get(row.month)
        if into is None:
            row.category_id = target.id
            continue
        doomed.append(row)
        if into.currency == row.currency:
            into.amount_minor += row.amount_minor
        elif row.currency == base:
            into.amount_minor, into.currency = row.amount_minor, row.currency
    await rows.delete(session, doomed)
    await session.flush()
    return len(moving)


@dataclass(frozen=True)
class Deletion:
    uncategorized_transactions: int
    deleted_budgets: int


async def delete_category(work: UnitOfWork, user_id: uuid.UUID, category_id: uuid.UUID) -> Deletion:
    """Delete a category: its transactions stay and become uncategorized, its budgets go (in
    envelope budgeting, what they assigned returns to ready to assign), and bank hints of the
    defaults it stood for categorize nothing from now on. Merge instead to keep them together
    in another category."""
    session = work.session
    await rows.lock_user(session, user_id)
    category = await category_service.require_category(session, user_id, category_id)
    goals = await repository.goal_names_funded_by(session, user_id, category.id)
    if goals:
        names = ", ".join(f"'{name}'" for name in goals)
        raise BadUserInput(
            "input.id",
            f"funds the goal {names}: change that goal's funding, or merge the category "
            "into another",
        )
    affected = await repository.transactions_in_category(session, user_id, category.id)
    await repository.recategorize(session, user_id, category.id, None)
    budgets = await repository.budgets_of(session, user_id, category.id)
    await rows.delete(session, budgets)
    await repository.forget_presets(session, user_id, category.id)
    await _delete(session, user_id, category)
    announce_transactions_changed(work, user_id, [i for i, _ in affected], [d for _, d in affected])
    return Deletion(uncategorized_transactions=len(affected), deleted_budgets=len(budgets))


async def _delete(session: AsyncSession, user_id: uuid.UUID, category: Category) -> None:
    group_id = category.group_id
    await rows.delete(session, [category])
    category_service.renumber(await repository.categories_in_groups(session, user_id, [group_id]))
    await session.flush()
