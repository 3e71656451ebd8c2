"""Bulk edit: recategorize, tag, untag, mark reviewed (or not) many transactions at once, a
selection by ids or everything a filter matches, in one unit of work.

At most MAX_BULK_EDIT transactions at once: a larger selection is refused whole (narrow the
filter), so an edit is never half applied. A split transaction keeps its parts' categories
(a new category would not count while it is split): the category is set on the others.
Category changes are announced like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from services.ledger.categories import service as category_service
from services.ledger.events import announce_transactions_changed
from services.ledger.models import CATEGORY_SOURCE_USER, TAGS_SOURCE_USER
from services.ledger.tags import service as tag_service
from services.ledger.transactions import repository
from services.ledger.transactions.filters import TransactionFilter, compile_filter
from services.ledger.transactions.service import KEEP, Keep
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound

MAX_BULK_EDIT = 10_000


@dataclass(frozen=True)
class BulkEdit:
    ids: Sequence[uuid.UUID] | None = None
    filter: TransactionFilter | None = None
    category_id: uuid.UUID | Keep | None = KEEP
    add_tag_ids: Sequence[uuid.UUID] = ()
    remove_tag_ids: Sequence[uuid.UUID] = ()
    reviewed: bool | Keep | None = KEEP


@dataclass(frozen=True)
class BulkEditResult:
    matched: int  # transactions selected
    changed: int  # of those, the ones the edit changed


async def bulk_edit(work: UnitOfWork, user_id: uuid.UUID, edit: BulkEdit) -> BulkEditResult:
    session = work.session
    if not isinstance(edit.reviewed, Keep) and edit.reviewed is None:
        raise BadUserInput("input.setReviewed", "must not be null")
    if (
        isinstance(edit.category_id, Keep)
        and isinstance(edit.reviewed, Keep)
        and not edit.add_tag_ids
        and not edit.remove_tag_ids
    ):
        raise BadUserInput(
            "input", "changes nothing: give setCategoryId, addTagIds, removeTagIds or setReviewed"
        )
    if not isinstance(edit.category_id, Keep) and edit.category_id is not None:
        await category_service.require_category(session, user_id, edit.category_id)
    adding = await tag_service.require_tags(session, user_id, edit.add_tag_ids, "input.addTagIds")
    removing = await tag_service.require_tags(
        session, user_id, edit.remove_tag_ids, "input.removeTagIds"
    )
    states = await _selection(work, user_id, edit)
    ids = [state.id for state in states]
    changed: set[uuid.UUID] = set()

    if not isinstance(edit.category_id, Keep):
        category_id = edit.category_id
        recategorized = [s for s in states if not s.split and s.category_id != category_id]
        # Even a category the bank chose becomes the user's: no later hint overrides it.
        pinned = [s.id for s in states if not s.split and s.category_source != CATEGORY_SOURCE_USER]
        targets = sorted({s.id for s in recategorized} | set(pinned))
        await repository.set_columns(
            session, user_id, targets, category_id=category_id, category_source=CATEGORY_SOURCE_USER
        )
        changed.update(s.id for s in recategorized)
        announce_transactions_changed(
            work, user_id, [s.id for s in recategorized], [s.date for s in recategorized]
        )
    if not isinstance(edit.reviewed, Keep):
        flipped = [s.id for s in states if s.reviewed != edit.reviewed]
        await repository.set_columns(session, user_id, flipped, reviewed=edit.reviewed)
        changed.update(flipped)
    if adding or removing:
        changed |= await tag_service.change_tags(session, ids, add=adding, remove=removing)
        # The user has edited their tags: rules add no more to them.
        await repository.set_columns(session, user_id, ids, tags_source=TAGS_SOURCE_USER)
    await session.flush()
    return BulkEditResult(matched=len(ids), changed=len(changed))


async def _selection(
    work: UnitOfWork, user_id: uuid.UUID, edit: BulkEdit
) -> list[repository.EditState]:
    """The transactions the edit applies to: the user's (NOT_FOUND if one is not), at most
    MAX_BULK_EDIT."""
    if (edit.ids is None) == (edit.filter is None):
        raise BadUserInput("input.ids", "give either ids or a filter (not both)")
    if edit.ids is not None:
        unique = list(dict.fromkeys(edit.ids))
        if not unique:
            raise BadUserInput("input.ids", "must name at least one transaction")
        if len(unique) > MAX_BULK_EDIT:
            raise BadUserInput("input.ids", f"must name at most {MAX_BULK_EDIT} transactions")
        found = await repository.edit_states(work.session, user_id, unique)
        if len(found) != len(unique):
            raise NotFound("Transaction")
        return found
    assert edit.filter is not None
    query = await compile_filter(work.session, user_id, edit.filter, "input.filter")
    ids = await repository.matching_ids(work.session, query, MAX_BULK_EDIT + 1)
    if len(ids) > MAX_BULK_EDIT:
        raise BadUserInput(
            "input.filter",
            f"matches more than {MAX_BULK_EDIT} transactions: narrow it (at most "
            f"{MAX_BULK_EDIT} are edited at once)",
        )
    return await repository.edit_states(work.session, user_id, ids)
