"""Queries of rules, their tags, and what applying them reads and writes of transactions; each
scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.ledger import rows
from services.ledger.models import (
    CATEGORY_SOURCE_RULE,
    CATEGORY_SOURCE_USER,
    PAYEE_SOURCE_RULE,
    PAYEE_SOURCE_USER,
    TAGS_SOURCE_RULE,
    Payee,
    Rule,
    RuleTag,
    Transaction,
    TransactionSplit,
    TransactionTag,
)
from services.ledger.transactions.service import TransactionQuery
from shared.pagination import Keyset, after_keyset
from shared.sql import chunked, rows_in_chunks, scalars_in_chunks

# --- rules -----------------------------------------------------------------------------------


async def rules_for_user(
    session: AsyncSession, user_id: uuid.UUID, *, enabled_only: bool = False
) -> list[Rule]:
    """In the user's order."""
    statement = select(Rule).where(Rule.user_id == user_id)
    if enabled_only:
        statement = statement.where(Rule.enabled.is_(True))
    return list(await session.scalars(statement.order_by(Rule.position, Rule.id)))


async def rule_for_user(
    session: AsyncSession, user_id: uuid.UUID, rule_id: uuid.UUID
) -> Rule | None:
    return await session.scalar(select(Rule).where(Rule.user_id == user_id, Rule.id == rule_id))


async def rules_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Rule]:
    return await scalars_in_chunks(
        session, ids, lambda chunk: select(Rule).where(Rule.user_id == user_id, Rule.id.in_(chunk))
    )


async def rule_page(
    session: AsyncSession, user_id: uuid.UUID, *, after: tuple[int, uuid.UUID] | None, limit: int
) -> list[Rule]:
    """In the user's order (position, then id), starting after (position, id)."""
    statement = select(Rule).where(Rule.user_id == user_id)
    if after is not None:
        position, rule_id = after
        statement = statement.where(
            or_(Rule.position > position, and_(Rule.position == position, Rule.id > rule_id))
        )
    return list(await session.scalars(statement.order_by(Rule.position, Rule.id).limit(limit)))


async def count_rules(session: AsyncSession, user_id: uuid.UUID) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Rule).where(Rule.user_id == user_id)
    )
    return int(total or 0)


async def tags_of_rules(
    session: AsyncSession, user_id: uuid.UUID, rule_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(rule id, tag id) of every tag these rules of the user's add."""
    found = await rows_in_chunks(
        session,
        rule_ids,
        lambda chunk: (
            select(RuleTag.rule_id, RuleTag.tag_id)
            .join(Rule, Rule.id == RuleTag.rule_id)
            .where(Rule.user_id == user_id, RuleTag.rule_id.in_(chunk))
        ),
    )
    return [(rule_id, tag_id) for rule_id, tag_id in found]


async def set_rule_tags(
    session: AsyncSession, rule_id: uuid.UUID, tag_ids: Sequence[uuid.UUID]
) -> None:
    """The rule's tags from now on (ids already proven the user's)."""
    await session.execute(
        delete(RuleTag)
        .where(RuleTag.rule_id == rule_id)
        .execution_options(synchronize_session=False)
    )
    rows.add(session, *(RuleTag(rule_id=rule_id, tag_id=tag_id) for tag_id in tag_ids))


async def credit_rules(
    session: AsyncSession, user_id: uuid.UUID, counts: Mapping[uuid.UUID, int], moment: dt.datetime
) -> None:
    """Count the transactions each rule just changed, in one statement."""
    if not counts:
        return
    ids = sorted(counts)
    await session.execute(
        update(Rule)
        .where(Rule.user_id == user_id, Rule.id.in_(ids))
        .values(
            applied_count=Rule.applied_count
            + case({rule_id: counts[rule_id] for rule_id in ids}, value=Rule.id, else_=0),
            last_applied_at=moment,
            # Being applied is not being changed: updated_at says when the user edited it.
            updated_at=Rule.updated_at,
        )
        .execution_options(synchronize_session=False)
    )


# --- the transactions a rule reads and changes -------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What applying a rule to history reads of a transaction."""

    id: uuid.UUID
    date: dt.date
    account_id: uuid.UUID
    amount_minor: int
    currency: str
    description: str
    payee_id: uuid.UUID | None
    payee_name: str | None
    category_id: uuid.UUID | None
    category_source: str | None
    payee_source: str | None
    tags_source: str | None
    split: bool


def _candidates() -> Select[*tuple[Any, ...]]:
    """The columns a rule reads of a transaction, the payee's name joined."""
    parts = select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    return select(
        Transaction.id,
        Transaction.date,
        Transaction.account_id,
        Transaction.amount_minor,
        Transaction.currency,
        Transaction.description,
        Transaction.payee_id,
        Payee.name,
        Transaction.category_id,
        Transaction.category_source,
        Transaction.payee_source,
        Transaction.tags_source,
        exists(parts),
    ).outerjoin(Payee, Payee.id == Transaction.payee_id)


async def candidates(
    session: AsyncSession,
    query: TransactionQuery,
    extra: Sequence[ColumnElement[bool]],
    *,
    after: Keyset[dt.date] | None,
    limit: int,
) -> list[Candidate]:
    """A batch of the transactions a compiled filter matches, newest first (date, then id),
    starting after `after`."""
    statement = _candidates().where(*query.conditions, *extra)
    if after is not None:
        statement = statement.where(after_keyset(Transaction.date, Transaction.id, after))
    statement = statement.order_by(Transaction.date.desc(), Transaction.id.desc()).limit(limit)
    return [Candidate(*tuple(row)) for row in await session.execute(statement)]


async def candidates_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Candidate]:
    """These transactions of the user's, as rules read them."""
    found = await rows_in_chunks(
        session,
        ids,
        lambda chunk: _candidates().where(
            Transaction.user_id == user_id, Transaction.id.in_(chunk)
        ),
    )
    return [Candidate(*tuple(row)) for row in found]


async def links_among(
    session: AsyncSession, transaction_ids: Sequence[uuid.UUID], tag_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Which (transaction, tag) pairs of these exist (ids already proven the user's)."""
    if not tag_ids or not transaction_ids:
        return set()
    found = await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(TransactionTag.transaction_id, TransactionTag.tag_id).where(
            TransactionTag.transaction_id.in_(chunk), TransactionTag.tag_id.in_(tag_ids)
        ),
    )
    return {(transaction_id, tag_id) for transaction_id, tag_id in found}


def _not(column: InstrumentedAttribute[str | None], value: str) -> ColumnElement[bool]:
    """NULL-safe "is not `value`" (`<>` alone is NULL, hence false, on a NULL column)."""
    return or_(column.is_(None), column != value)


async def set_rule_category(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID], category_id: uuid.UUID
) -> None:
    """A rule's category on these transactions; one the user categorized meanwhile keeps
    theirs."""
    for chunk in chunked(ids):
        await session.execute(
            update(Transaction)
            .where(
                Transaction.user_id == user_id,
                Transaction.id.in_(chunk),
                _not(Transaction.category_source, CATEGORY_SOURCE_USER),
            )
            .values(category_id=category_id, category_source=CATEGORY_SOURCE_RULE)
            .execution_options(synchronize_session=False)
        )


async def set_rule_payee(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID], payee_id: uuid.UUID
) -> None:
    """A rule's payee on these transactions; one whose payee the user chose keeps it."""
    for chunk in chunked(ids):
        await session.execute(
            update(Transaction)
            .where(
                Transaction.user_id == user_id,
                Transaction.id.in_(chunk),
                _not(Transaction.payee_source, PAYEE_SOURCE_USER),
            )
            .values(payee_id=payee_id, payee_source=PAYEE_SOURCE_RULE)
            .execution_options(synchronize_session=False)
        )


async def add_rule_tags(
    session: AsyncSession, user_id: uuid.UUID, links: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    """Put tags on transactions for a rule (pairs known to be missing, ids the user's), and say
    a rule put them there where nobody had."""
    rows.add(session, *(TransactionTag(transaction_id=tx, tag_id=tag) for tx, tag in links))
    ids = sorted({transaction_id for transaction_id, _ in links})
    for chunk in chunked(ids):
        await session.execute(
            update(Transaction)
            .where(
                Transaction.user_id == user_id,
                Transaction.id.in_(chunk),
                Transaction.tags_source.is_(None),
            )
            .values(tags_source=TAGS_SOURCE_RULE)
            .execution_options(synchronize_session=False)
        )
