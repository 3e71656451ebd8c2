"""The reports' queries of transactions, as money flows: a user's transactions summed per day or
per month, per account, category, payee or tag, whether half of a transfer, and whether money
in, each sum in `Figures` (own amount and converted figure per currency pair).

One definition of what counts, shared by the report totals (totals_upkeep.py keeps monthly
flows stored, totals.py reads them) and by every report that reads transactions directly (a
filter, a tag, weeks or days):

- A transaction counts whole by its own category, unless it is split: then each of its parts'
  categories counts the parts in it (a foreign transaction's parts at their shares of its
  stored figure, conversion.share_figure), one transaction per category.
- A transfer half counts whole, flagged `transfer` (balances see it; spending never does).
- `money_in` is the sign of what counts (parts share their transaction's sign).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    cast,
    exists,
    extract,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies.conversion import Figures, share_figure
from services.ledger.models import Transaction, TransactionSplit, TransactionTag
from shared.sql import chunked, not_indexed, rows_in_chunks


class Dimension(enum.Enum):
    """What flows are told apart by, besides their period, transfer flag and sign."""

    ACCOUNT = "account"
    CATEGORY = "category"
    PAYEE = "payee"
    TAG = "tag"  # a transaction with several tags flows under each; none: under None


@dataclass(frozen=True, slots=True)
class Flow:
    """Figures of one period (a day, or a month's first day) and key. A dimension not asked
    for is None, like a missing category, payee or tag of one that was."""

    period: dt.date
    account_id: uuid.UUID | None
    category_id: uuid.UUID | None
    payee_id: uuid.UUID | None
    tag_id: uuid.UUID | None
    transfer: bool
    money_in: bool
    figures: Figures


_COLUMNS = {
    Dimension.ACCOUNT: Transaction.account_id,
    Dimension.CATEGORY: Transaction.category_id,
    Dimension.PAYEE: Transaction.payee_id,
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


async def flows_of_transactions(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    dimensions: frozenset[Dimension],
    *,
    monthly: bool,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> list[Flow]:
    """The user's flows dated in the range, per day (or per month when `monthly`), among the
    transactions meeting `conditions` (e.g. a compiled filter's): two queries, and one more
    for the tags of split transactions when told apart by tag."""
    scope = [
        Transaction.user_id == user_id,
        Transaction.date >= date_from,
        Transaction.date <= date_to,
        *conditions,
    ]
    whole = await _whole(session, scope, dimensions, monthly)
    parts = await _parts(session, scope, dimensions, monthly)
    return whole + parts


async def flows_of_ids(
    session: AsyncSession,
    user_id: uuid.UUID,
    transaction_ids: Sequence[uuid.UUID],
    dimensions: frozenset[Dimension],
) -> list[Flow]:
    """The monthly flows of these transactions of the user (those that no longer exist: none),
    found by id, a chunk at a time (flows of one key may come once per chunk)."""
    # Each found by its key. The user is checked on each row found, in a form no index serves:
    # offered the user's date index, SQLite's planner (without ANALYZE) walked all of the
    # user's rows, and PostgreSQL's without statistics (right after a bulk load) the user's
    # whole bitmap (0.9 s a chunk at 1M rows, and 1.8 s more for the split parts).
    if session.get_bind().dialect.name == "sqlite":
        owner = not_indexed(Transaction.user_id) == user_id
    else:
        owner = cast(Transaction.user_id, String) == str(user_id)
    flows: list[Flow] = []
    for chunk in chunked(transaction_ids):
        scope = [owner, Transaction.id.in_(chunk)]
        flows += await _whole(session, scope, dimensions, True)
        flows += await _parts(session, scope, dimensions, True)
    return flows


async def _whole(
    session: AsyncSession,
    scope: list[ColumnElement[bool]],
    dimensions: frozenset[Dimension],
    monthly: bool,
) -> list[Flow]:
    split = exists(
        select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    )
    transfer = Transaction.transfer_counterpart_id.is_not(None)
    # Literals, not bound parameters: PostgreSQL must see each GROUP BY expression as the
    # selected one, and parameters ($1, $2) would make them differ.
    money_in = Transaction.amount_minor > literal_column("0")
    period: list[Any] = (
        [extract("year", Transaction.date), extract("month", Transaction.date)]
        if monthly
        else [Transaction.date]
    )
    keys: list[Any] = [
        _COLUMNS[d]
        for d in (Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE)
        if d in dimensions
    ]
    statement = select(
        *period,
        *keys,
        *([TransactionTag.tag_id] if Dimension.TAG in dimensions else []),
        transfer,
        money_in,
        Transaction.currency,
        Transaction.converted_currency,
        func.sum(Transaction.amount_minor),
        func.coalesce(func.sum(Transaction.converted_minor), 0),
        func.count(),
        func.min(Transaction.date),
        func.max(Transaction.date),
    ).where(*scope, or_(transfer, not_(split)))
    grouped: list[Any] = [*period, *keys]
    if Dimension.TAG in dimensions:
        statement = statement.outerjoin(
            TransactionTag, TransactionTag.transaction_id == Transaction.id
        )
        grouped.append(TransactionTag.tag_id)
    statement = statement.group_by(
        *grouped, transfer, money_in, Transaction.currency, Transaction.converted_currency
    )
    flows = []
    for row in await session.execute(statement):
        values = list(row)
        day = dt.date(int(values.pop(0)), int(values.pop(0)), 1) if monthly else values.pop(0)
        key = {
            d: values.pop(0)
            for d in (Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE, Dimension.TAG)
            if d in dimensions
        }
        flows.append(
            Flow(
                period=day,
                account_id=key.get(Dimension.ACCOUNT),
                category_id=key.get(Dimension.CATEGORY),
                payee_id=key.get(Dimension.PAYEE),
                tag_id=key.get(Dimension.TAG),
                transfer=bool(values[0]),
                money_in=bool(values[1]),
                figures=Figures.of(values),
            )
        )
    return flows


@dataclass(slots=True)
class _Sum:
    amount: int = 0
    converted: int = 0
    count: int = 0
    first: dt.date = dt.date.max
    last: dt.date = dt.date.min

    def add(self, amount: int, converted: int, day: dt.date) -> None:
        self.amount += amount
        self.converted += converted
        self.count += 1
        self.first = min(self.first, day)
        self.last = max(self.last, day)


async def _parts(
    session: AsyncSession,
    scope: list[ColumnElement[bool]],
    dimensions: frozenset[Dimension],
    monthly: bool,
) -> list[Flow]:
    statement = (
        select(
            TransactionSplit.transaction_id,
            TransactionSplit.category_id,
            TransactionSplit.amount_minor,
            Transaction.date,
            Transaction.account_id,
            Transaction.payee_id,
            Transaction.currency,
            Transaction.converted_minor,
            Transaction.converted_currency,
            Transaction.transfer_counterpart_id,
        )
        .join(Transaction, Transaction.id == TransactionSplit.transaction_id)
        .where(*scope)
        .order_by(TransactionSplit.transaction_id, TransactionSplit.position)
    )
    by_transaction: defaultdict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in await session.execute(statement):
        # A transfer's half never counts; told here, not in SQL, where SQLite without ANALYZE
        # took `transfer_counterpart_id IS NULL` to its unique index and walked every row of
        # the table (a split transaction is never half of a transfer anyway).
        if row[-1] is None:
            by_transaction[row[0]].append(row[:-1])
    if not by_transaction:
        return []
    tags: dict[uuid.UUID, list[uuid.UUID | None]] = {}
    if Dimension.TAG in dimensions:
        tags = await _tags_of(session, list(by_transaction))
    sums: defaultdict[tuple[Any, ...], _Sum] = defaultdict(_Sum)
    for transaction_id, parts in by_transaction.items():
        _, _, _, day, account_id, payee_id, currency, converted, converted_currency = parts[0]
        amounts = [part[2] for part in parts]
        shares: list[int] | None = None
        if converted is not None and converted_currency is not None:
            shares = share_figure(converted, amounts)
        # One transaction per category: its parts in that category add up.
        per_category: dict[uuid.UUID | None, list[int]] = {}
        for index, part in enumerate(parts):
            entry = per_category.setdefault(part[1], [0, 0])
            entry[0] += part[2]
            entry[1] += shares[index] if shares is not None else 0
        period = day.replace(day=1) if monthly else day
        account = account_id if Dimension.ACCOUNT in dimensions else None
        payee = payee_id if Dimension.PAYEE in dimensions else None
        for category_id, (amount, share) in per_category.items():
            category = category_id if Dimension.CATEGORY in dimensions else None
            pair = (currency, converted_currency if shares is not None else None)
            for tag_id in tags.get(transaction_id, [None]):
                key = (period, account, category, payee, tag_id, amount > 0, *pair)
                sums[key].add(amount, share, day)
    return [
        Flow(
            period=period,
            account_id=account,
            category_id=category,
            payee_id=payee,
            tag_id=tag_id,
            transfer=False,
            money_in=money_in,
            figures=Figures(
                currency=currency,
                converted_currency=converted_currency,
                amount_minor=total.amount,
                converted_minor=total.converted,
                count=total.count,
                first_date=total.first,
                last_date=total.last,
            ),
        )
        for (
            period,
            account,
            category,
            payee,
            tag_id,
            money_in,
            currency,
            converted_currency,
        ), total in sums.items()
    ]


async def _tags_of(
    session: AsyncSession, transaction_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID | None]]:
    found: defaultdict[uuid.UUID, list[uuid.UUID | None]] = defaultdict(list)
    for transaction_id, tag_id in await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(TransactionTag.transaction_id, TransactionTag.tag_id).where(
            TransactionTag.transaction_id.in_(chunk)
        ),
    ):
        found[transaction_id].append(tag_id)
    return dict(found)


async def daily_sums_by_account(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[tuple[dt.date, uuid.UUID, int]]:
    """(day, account, net in the account's currency) of the user's transactions in the range,
    transfers and split transactions whole: what balances add up, in one aggregate."""
    rows = await session.execute(
        select(Transaction.date, Transaction.account_id, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .group_by(Transaction.date, Transaction.account_id)
    )
    return [(day, account_id, int(total)) for day, account_id, total in rows]
