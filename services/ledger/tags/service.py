"""Tags: creating, renaming and deleting them, and putting them on and off transactions (one
at a time or in bulk). Tags say nothing about amounts, dates or categories, so changing them
announces nothing."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import MAX_TAG_NAME, Tag
from services.ledger.tags import repository
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.validation import clean_text

# A user's tags are a short list they pick from (the `tags` query returns them all).
MAX_TAGS_PER_USER = 500
# Tags given at once (on a transaction, in a filter or a bulk edit).
MAX_TAGS_AT_ONCE = 100


def _by_name(tag: Tag) -> tuple[str, str, uuid.UUID]:
    # Sorted here, not by the database: its collation differs between SQLite and PostgreSQL.
    return (tag.name.casefold(), tag.name, tag.id)


async def list_tags(session: AsyncSession, user_id: uuid.UUID) -> list[Tag]:
    """The user's tags by name, whatever the case."""
    return sorted(await repository.tags_for_user(session, user_id), key=_by_name)


async def require_tag(session: AsyncSession, user_id: uuid.UUID, tag_id: uuid.UUID) -> Tag:
    tag = await repository.tag_for_user(session, user_id, tag_id)
    if tag is None:
        raise NotFound("Tag")
    return tag


async def require_tags(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID], field: str
) -> list[uuid.UUID]:
    """These ids, once each, if every one is the user's tag (else NOT_FOUND)."""
    if len(ids) > MAX_TAGS_AT_ONCE:
        raise BadUserInput(field, f"must name at most {MAX_TAGS_AT_ONCE} tags")
    unique = list(dict.fromkeys(ids))
    found = await repository.tags_by_ids(session, user_id, unique)
    if len(found) != len(unique):
        raise NotFound("Tag")
    return unique


async def tags_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Tag]:
    """The user's tags among `ids`; others' ids are silently absent."""
    return await repository.tags_by_ids(session, user_id, ids)


def _name(name: str, field: str) -> str:
    return clean_text(name, field, max_length=MAX_TAG_NAME)


async def create_tag(work: UnitOfWork, user_id: uuid.UUID, name: str) -> Tag:
    session = work.session
    clean = _name(name, "input.name")
    if await repository.tag_named(session, user_id, clean) is not None:
        raise BadUserInput("input.name", "is already one of your tags")
    if await repository.count_tags(session, user_id) >= MAX_TAGS_PER_USER:
        raise BadUserInput(
            "input.name", f"would be tag number {MAX_TAGS_PER_USER + 1}: delete some"
        )
    tag = Tag(user_id=user_id, name=clean)
    rows.add(session, tag)
    await session.flush()
    return tag


async def rename_tag(work: UnitOfWork, user_id: uuid.UUID, tag_id: uuid.UUID, name: str) -> Tag:
    session = work.session
    tag = await require_tag(session, user_id, tag_id)
    clean = _name(name, "input.name")
    holder = await repository.tag_named(session, user_id, clean)
    if holder is not None and holder.id != tag.id:
        raise BadUserInput("input.name", "is already one of your tags")
    tag.name = clean
    await session.flush()
    return tag


async def delete_tag(work: UnitOfWork, user_id: uuid.UUID, tag_id: uuid.UUID) -> None:
    """Delete a tag; the transactions that carried it lose it."""
    tag = await require_tag(work.session, user_id, tag_id)
    await rows.delete(work.session, [tag])


async def tags_of_transactions(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Tag]]:
    """Each transaction's tags, by name (transactions without tags are absent)."""
    found: defaultdict[uuid.UUID, list[Tag]] = defaultdict(list)
    for transaction_id, tag in await repository.tags_of_transactions(
        session, user_id, transaction_ids
    ):
        found[transaction_id].append(tag)
    return {transaction_id: sorted(tags, key=_by_name) for transaction_id, tags in found.items()}


async def set_tags(
    session: AsyncSession,
    user_id: uuid.UUID,
    transaction_id: uuid.UUID,
    tag_ids: Sequence[uuid.UUID],
) -> bool:
    """Make these (already required) tags the transaction's only ones; whether that changed
    anything."""
    current = {
        tag.id
        for tag in (await tags_of_transactions(session, user_id, [transaction_id])).get(
            transaction_id, []
        )
    }
    wanted = set(tag_ids)
    if current == wanted:
        return False
    await repository.remove_tags(session, [transaction_id], sorted(current - wanted))
    repository.add_links(session, [(transaction_id, tag_id) for tag_id in sorted(wanted - current)])
    await session.flush()
    return True


async def change_tags(
    session: AsyncSession,
    transaction_ids: Sequence[uuid.UUID],
    *,
    add: Sequence[uuid.UUID] = (),
    remove: Sequence[uuid.UUID] = (),
) -> set[uuid.UUID]:
    """Put tags on and take tags off many transactions (ids already proven the user's); the
    ids of the transactions that changed. A tag both added and removed is added."""
    removing = [tag_id for tag_id in remove if tag_id not in set(add)]
    existing = await repository.links_among(session, transaction_ids, [*add, *removing])
    to_add = [
        (transaction_id, tag_id)
        for transaction_id in transaction_ids
        for tag_id in add
        if (transaction_id, tag_id) not in existing
    ]
    removed = set(removing)
    to_remove = [(tx_id, tag_id) for tx_id, tag_id in existing if tag_id in removed]
    await repository.remove_tags(
        session, sorted({tx_id for tx_id, _ in to_remove}), sorted(set(removing))
    )
    repository.add_links(session, to_add)
    await session.flush()
    return {tx_id for tx_id, _ in to_add} | {tx_id for tx_id, _ in to_remove}


async def existing_tag_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Those of `ids` that are still the user's tags, in the order given."""
    found = {tag.id for tag in await repository.tags_by_ids(session, user_id, ids)}
    return [tag_id for tag_id in ids if tag_id in found]
