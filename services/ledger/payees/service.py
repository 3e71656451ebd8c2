"""Payees: found (or created on first sight) from descriptions in bulk, listed a page at a
time by name, renamed and merged.

A description's key (normalise.payee_key) finds its payee. A key seen for the first time
joins the payee already called by the name it suggests, or else makes a new payee of that
name; either way the key is remembered, so the next description with it costs no thought.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import events
from services.ledger.models import MAX_PAYEE_NAME, Payee, PayeeKey
from services.ledger.payees import repository
from services.ledger.payees.normalise import payee_key
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.pagination import decode_cursor, encode_cursor
from shared.validation import clean_text

MAX_SEARCH = 100
MAX_MERGE_SOURCES = 100


async def payee_ids_for_texts(
    session: AsyncSession, user_id: uuid.UUID, texts: Sequence[str]
) -> dict[str, uuid.UUID]:
    """The payee of each text (a description or merchant name), text -> payee id, creating
    the payees seen for the first time. A few queries whatever the number of texts; texts
    with nothing left after normalising are absent."""
    described = {text: found for text in set(texts) if (found := payee_key(text)) is not None}
    if not described:
        return {}
    names_by_key = {found.key: found.name for found in described.values()}
    ids = await repository.payee_ids_by_keys(session, user_id, sorted(names_by_key))
    new_keys = {key: name for key, name in names_by_key.items() if key not in ids}
    if new_keys:
        ids.update(await _remember_keys(session, user_id, new_keys))
    return {text: ids[found.key] for text, found in described.items()}


async def _remember_keys(
    session: AsyncSession, user_id: uuid.UUID, names_by_key: dict[str, str]
) -> dict[str, uuid.UUID]:
    """Keys seen for the first time: each joins the payee of its name, made if need be."""
    named = {
        payee.name: payee.id
        for payee in await repository.payees_by_names(
            session, user_id, sorted(set(names_by_key.values()))
        )
    }
    new_payees = []
    for name in sorted(set(names_by_key.values()) - named.keys()):
        payee = Payee(id=uuid.uuid4(), user_id=user_id, name=name)
        named[name] = payee.id
        new_payees.append(payee)
    keys = [
        PayeeKey(user_id=user_id, key=key, payee_id=named[name])
        for key, name in sorted(names_by_key.items())
    ]
    repository.add_payees(session, new_payees, keys)
    await session.flush()
    return {key: named[name] for key, name in names_by_key.items()}


async def require_payee(session: AsyncSession, user_id: uuid.UUID, payee_id: uuid.UUID) -> Payee:
    payee = await repository.payee_for_user(session, user_id, payee_id)
    if payee is None:
        raise NotFound("Payee")
    return payee


async def require_payees(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Payee]:
    """The user's payees with these ids, or NOT_FOUND if any is not theirs."""
    unique = list(dict.fromkeys(ids))
    found = await repository.payees_by_ids(session, user_id, unique)
    if len(found) != len(unique):
        raise NotFound("Payee")
    return found


async def payees_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Payee]:
    """The user's payees among `ids`; others' ids are silently absent."""
    return await repository.payees_by_ids(session, user_id, ids)


async def first_dates(
    session: AsyncSession, user_id: uuid.UUID, payee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dt.date]:
    """When the user first paid (or was paid by) each payee: its earliest transaction's date."""
    return await repository.first_dates(session, user_id, payee_ids)


async def rename_payee(
    work: UnitOfWork, user_id: uuid.UUID, payee_id: uuid.UUID, name: str
) -> Payee:
    """Call a payee something else. A name another payee has is refused (merge them instead);
    descriptions that read like the new name will find this payee from now on."""
    session = work.session
    payee = await require_payee(session, user_id, payee_id)
    new_name = clean_text(name, "input.name", max_length=MAX_PAYEE_NAME)
    if new_name == payee.name:
        return payee
    holder = await repository.payee_named(session, user_id, new_name)
    if holder is not None:
        raise BadUserInput("input.name", "is another payee's name: merge the two instead")
    payee.name = new_name
    described = payee_key(new_name)
    if (
        described is not None
        and await repository.key_owner(session, user_id, described.key) is None
    ):
        repository.add_payees(
            session, [], [PayeeKey(user_id=user_id, key=described.key, payee_id=payee.id)]
        )
    await session.flush()
    return payee


@dataclass(frozen=True)
class PayeeMerge:
    payee: Payee
    merged_ids: list[uuid.UUID]
    moved_transactions: int


async def merge_payees(
    work: UnitOfWork, user_id: uuid.UUID, source_ids: Sequence[uuid.UUID], target_id: uuid.UUID
) -> PayeeMerge:
    """Fold the sources into the target: their transactions and their keys (so that later
    descriptions of theirs find the target) move over, and the sources are gone."""
    session = work.session
    sources = list(dict.fromkeys(source_ids))
    if not sources:
        raise BadUserInput("input.sourceIds", "must name at least one payee")
    if len(sources) > MAX_MERGE_SOURCES:
        raise BadUserInput("input.sourceIds", f"must name at most {MAX_MERGE_SOURCES} payees")
    if target_id in sources:
        raise BadUserInput("input.sourceIds", "must not include the target")
    target = await require_payee(session, user_id, target_id)
    await require_payees(session, user_id, sources)
    moved = await repository.move_to(session, user_id, sources, target.id)
    await events.payees_replaced(work, user_id, sources, target.id)
    return PayeeMerge(target, sources, moved)


@dataclass(frozen=True)
class PayeePage:
    rows: list[Payee]
    has_next_page: bool
    search: str | None


def payee_cursor(payee: Payee) -> str:
    return encode_cursor([payee.name, payee.id.hex])


def _parse_cursor(cursor: str) -> tuple[str, uuid.UUID]:
    values = decode_cursor(cursor, "after")
    try:
        name, id_hex = values
        if not isinstance(name, str):
            raise TypeError(name)
        return name, uuid.UUID(hex=id_hex)
    except (TypeError, ValueError):
        raise BadUserInput("after", "is not a valid cursor") from None


async def payee_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    search: str | None,
    first: int,
    after: str | None,
) -> PayeePage:
    """A page of the user's payees by name (A to Z), those whose name holds `search` if given."""
    keyset = _parse_cursor(after) if after is not None else None
    text = None
    if search is not None:
        text = clean_text(search, "search", max_length=MAX_SEARCH, required=False) or None
    fetched = await repository.payee_page(
        session, user_id, search=text, after=keyset, limit=first + 1
    )
    return PayeePage(fetched[:first], len(fetched) > first, text)


async def count_payees(session: AsyncSession, user_id: uuid.UUID, search: str | None) -> int:
    return await repository.count_payees(session, user_id, search)
