"""Categories are the user's: every user starts with the defaults, then creates, renames,
groups, reorders and hides them (merging and deleting: merging.py). Other aggregates require
theirs by id.

Names (of categories, and of groups) are unique per user without regard to case: "dining"
is taken once "Dining" exists. A category has a kind (expense, income, transfer) that reports
and budgets rely on, whatever it is called or wherever it sits. Positions count from 0 within
a group (categories) or among the user's groups; every move renumbers the places it touches.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.categories import repository
from services.ledger.categories.defaults import DEFAULT_CATEGORIES, DEFAULT_GROUPS
from services.ledger.models import (
    CATEGORY_KIND_EXPENSE,
    CATEGORY_KINDS,
    MAX_CATEGORY_NAME,
    Category,
    CategoryGroup,
    CategoryPreset,
)
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.validation import clean_text

# Enough for any household's budget, and it bounds what a month view lists.
MAX_CATEGORIES = 300
MAX_GROUPS = 50


def name_key(name: str) -> str:
    """What uniqueness compares: the name case-folded ("Straße" and "STRASSE" are one)."""
    return name.casefold()


# --- provisioning and reading --------------------------------------------------------------


async def provision_user(work: UnitOfWork, user_id: uuid.UUID) -> None:
    """Give a new user the default groups and categories (safe to call again: a user who has
    groups keeps them as they made them)."""
    session = work.session
    if await repository.groups_for_user(session, user_id):
        return
    groups = {
        name: CategoryGroup(
            id=uuid.uuid4(), user_id=user_id, name=name, name_key=name_key(name), position=index
        )
        for index, name in enumerate(DEFAULT_GROUPS)
    }
    rows.add(session, *groups.values())
    await session.flush()
    places: defaultdict[str, int] = defaultdict(int)
    categories = []
    for default in DEFAULT_CATEGORIES:
        categories.append(
            Category(
                id=uuid.uuid4(),
                user_id=user_id,
                name=default.name,
                name_key=name_key(default.name),
                group_id=groups[default.group].id,
                position=places[default.group],
                kind=default.kind,
            )
        )
        places[default.group] += 1
    rows.add(session, *categories)
    await session.flush()
    rows.add(
        session,
        *(
            CategoryPreset(user_id=user_id, preset=category.name, category_id=category.id)
            for category in categories
        ),
    )
    await session.flush()


async def list_categories(
    session: AsyncSession, user_id: uuid.UUID, *, include_hidden: bool = True
) -> list[Category]:
    """The user's categories in their order (by group, then place in the group)."""
    return await repository.categories_for_user(session, user_id, include_hidden=include_hidden)


# Reads of the categories as copies only to look at, with values of the caller's read in the
# same statement (reports: the base currency and whether the totals are built).
CategoriesToRead = repository.CategoriesToRead


async def list_groups(session: AsyncSession, user_id: uuid.UUID) -> list[CategoryGroup]:
    """The user's category groups in their order."""
    return await repository.groups_for_user(session, user_id)


async def categories_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Category]:
    """The user's categories among `ids`; others' ids are silently absent."""
    return await repository.categories_by_ids(session, user_id, ids)


async def groups_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[CategoryGroup]:
    """The user's groups among `ids`; others' ids are silently absent."""
    return await repository.groups_by_ids(session, user_id, ids)


async def categories_in_groups(
    session: AsyncSession,
    user_id: uuid.UUID,
    group_ids: Sequence[uuid.UUID],
    *,
    include_hidden: bool,
) -> list[Category]:
    """The categories of the user's groups among `group_ids`, each group's in its order."""
    return await repository.categories_in_groups(
        session, user_id, group_ids, include_hidden=include_hidden
    )


async def require_category(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> Category:
    category = await repository.category_for_user(session, user_id, category_id)
    if category is None:
        raise NotFound("Category")
    return category


async def require_group(
    session: AsyncSession, user_id: uuid.UUID, group_id: uuid.UUID
) -> CategoryGroup:
    group = await repository.group_for_user(session, user_id, group_id)
    if group is None:
        raise NotFound("CategoryGroup")
    return group


async def hint_targets(session: AsyncSession, user_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Default category name (what a bank hint names) -> the user's category standing for it,
    however renamed, moved or merged."""
    return await repository.presets(session, user_id)


def check_kind(kind: str, field: str) -> str:
    if kind not in CATEGORY_KINDS:
        raise BadUserInput(field, f"must be one of {', '.join(CATEGORY_KINDS)}")
    return kind


def _check_position(position: int | None, field: str) -> int | None:
    if position is not None and position < 0:
        raise BadUserInput(field, "must be 0 (first) or more")
    return position


def _clean_name(name: str, field: str) -> str:
    return clean_text(name, field, max_length=MAX_CATEGORY_NAME)


# --- groups --------------------------------------------------------------------------------


async def create_group(
    work: UnitOfWork, user_id: uuid.UUID, *, name: str, position: int | None = None
) -> CategoryGroup:
    """A new group, last unless a position is given."""
    session = work.session
    name = _clean_name(name, "input.name")
    _check_position(position, "input.position")
    await rows.lock_user(session, user_id)
    groups = await repository.groups_for_user(session, user_id)
    if len(groups) >= MAX_GROUPS:
        raise BadUserInput("input.name", f"you have {MAX_GROUPS} groups, the most Tally keeps")
    _check_group_name_free(groups, name, "input.name")
    group = CategoryGroup(id=uuid.uuid4(), user_id=user_id, name=name, name_key=name_key(name))
    rows.add(session, group)
    renumber(_placed(groups, group, position))
    await session.flush()
    return group


async def update_group(
    work: UnitOfWork,
    user_id: uuid.UUID,
    group_id: uuid.UUID,
    *,
    name: str | None = None,
    position: int | None = None,
) -> CategoryGroup:
    """Rename a group, or move it among the user's groups (None keeps what it is)."""
    session = work.session
    _check_position(position, "input.position")
    clean = _clean_name(name, "input.name") if name is not None else None
    await rows.lock_user(session, user_id)
    group = await require_group(session, user_id, group_id)
    groups = await repository.groups_for_user(session, user_id)
    if clean is not None:
        _check_group_name_free([g for g in groups if g.id != group.id], clean, "input.name")
        group.name, group.name_key = clean, name_key(clean)
    if position is not None:
        renumber(_placed([g for g in groups if g.id != group.id], group, position))
    await session.flush()
    return group


async def delete_group(work: UnitOfWork, user_id: uuid.UUID, group_id: uuid.UUID) -> None:
    """Delete an empty group; one that holds categories is refused (move, merge or delete
    them first: a category always has a group)."""
    session = work.session
    await rows.lock_user(session, user_id)
    group = await require_group(session, user_id, group_id)
    held = await repository.categories_in_groups(session, user_id, [group.id])
    if held:
        raise BadUserInput(
            "input.id",
            f"the group still holds {len(held)} "
            f"{'category' if len(held) == 1 else 'categories'}: move, merge or delete them first",
        )
    await rows.delete(session, [group])
    renumber(await repository.groups_for_user(session, user_id))
    await session.flush()


def _check_group_name_free(groups: Sequence[CategoryGroup], name: str, field: str) -> None:
    taken = next((g for g in groups if g.name_key == name_key(name)), None)
    if taken is not None:
        raise BadUserInput(field, f'you already have a group called "{taken.name}"')


# --- categories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCategory:
    name: str
    group_id: uuid.UUID
    kind: str = CATEGORY_KIND_EXPENSE
    position: int | None = None  # last in its group if None
    rollover: bool = False


async def create_category(work: UnitOfWork, user_id: uuid.UUID, new: NewCategory) -> Category:
    session = work.session
    name = _clean_name(new.name, "input.name")
    kind = check_kind(new.kind, "input.kind")
    _check_position(new.position, "input.position")
    await rows.lock_user(session, user_id)
    group = await require_group(session, user_id, new.group_id)
    if await repository.count_categories(session, user_id) >= MAX_CATEGORIES:
        raise BadUserInput(
            "input.name", f"you have {MAX_CATEGORIES} categories, the most Tally keeps"
        )
    await _check_category_name_free(session, user_id, name, None)
    category = Category(
        id=uuid.uuid4(),
        user_id=user_id,
        name=name,
        name_key=name_key(name),
        group_id=group.id,
        kind=kind,
        rollover=new.rollover,
        hidden=False,
    )
    siblings = await repository.categories_in_groups(session, user_id, [group.id])
    rows.add(session, category)
    renumber(_placed(siblings, category, new.position))
    await session.flush()
    return category


@dataclass(frozen=True)
class CategoryChanges:
    """What to change; None keeps it as it is."""

    name: str | None = None
    group_id: uuid.UUID | None = None
    position: int | None = None
    hidden: bool | None = None
    kind: str | None = None
    rollover: bool | None = None


async def update_category(
    work: UnitOfWork, user_id: uuid.UUID, category_id: uuid.UUID, changes: CategoryChanges
) -> Category:
    """Rename, regroup, reorder, hide or show a category, change its kind or rollover. Its
    transactions, budgets and history stay with it."""
    session = work.session
    name = _clean_name(changes.name, "input.name") if changes.name is not None else None
    kind = check_kind(changes.kind, "input.kind") if changes.kind is not None else None
    _check_position(changes.position, "input.position")
    await rows.lock_user(session, user_id)
    category = await require_category(session, user_id, category_id)
    group_id = category.group_id
    if changes.group_id is not None:
        group_id = (await require_group(session, user_id, changes.group_id)).id
    if name is not None:
        await _check_category_name_free(session, user_id, name, category.id)
        category.name, category.name_key = name, name_key(name)
    if kind is not None and kind != category.kind:
        if category.kind == CATEGORY_KIND_EXPENSE and await repository.has_budgeted_amounts(
            session, user_id, category.id
        ):
            raise BadUserInput(
                "input.kind",
                "the category has budgets: only expense categories are budgeted, so set its "
                "budgets to zero (or merge it into another expense category) first",
            )
        category.kind = kind
    if changes.hidden is not None:
        category.hidden = changes.hidden
    if changes.rollover is not None:
        category.rollover = changes.rollover
    if group_id != category.group_id or changes.position is not None:
        await _move(session, user_id, category, group_id, changes.position)
    await session.flush()
    return category


async def _move(
    session: AsyncSession,
    user_id: uuid.UUID,
    category: Category,
    group_id: uuid.UUID,
    position: int | None,
) -> None:
    """Put the category at `position` in group `group_id` (last if None) and close the gap it
    leaves behind."""
    old_group_id = category.group_id
    touched = sorted({old_group_id, group_id})
    siblings = await repository.categories_in_groups(session, user_id, touched)
    if group_id != old_group_id:
        renumber([c for c in siblings if c.group_id == old_group_id and c.id != category.id])
    category.group_id = group_id
    others = [c for c in siblings if c.group_id == group_id and c.id != category.id]
    renumber(_placed(others, category, position))


async def _check_category_name_free(
    session: AsyncSession, user_id: uuid.UUID, name: str, exempt: uuid.UUID | None
) -> None:
    taken = await repository.category_named(session, user_id, name_key(name))
    if taken is not None and taken.id != exempt:
        raise BadUserInput("input.name", f'you already have a category called "{taken.name}"')


# --- places --------------------------------------------------------------------------------

Placed = TypeVar("Placed", Category, CategoryGroup)


def _placed(others: Sequence[Placed], item: Placed, position: int | None) -> list[Placed]:
    """`others` in their order, with `item` put at `position` (last if None or past the end)."""
    ordered = list(others)
    index = len(ordered) if position is None else min(position, len(ordered))
    ordered.insert(index, item)
    return ordered


def renumber(ordered: Sequence[Placed]) -> None:
    """Give `ordered` the positions 0, 1, 2... in that order."""
    for index, item in enumerate(ordered):
        if item.position != index:  # an unchanged row is not written again
            item.position = index
