"""The one filter language over a user's transactions: what the transaction list, its
totalCount, bulk edit (and rules, later) select with. A `TransactionFilter` is checked once
(its ids must be the caller's, its bounds sane) and compiled into SQL conditions: a
`TransactionQuery`.

Every condition given must hold; a list (accountIds, categoryIds, payeeIds, tagIds) matches
any of its entries. What the conditions mean:

- `search`: text in the description, the notes or the payee's name (case-insensitive), found
  through an index (search.py).
- `minAmount`/`maxAmount`: bounds on the amount's size, whatever its sign (12.50 matches
  -12.50 and 12.50), in each transaction's own currency; `direction` picks money in or out.
- `categoryIds`, `uncategorized`: a split transaction is categorized by its parts: it matches
  a category if one of its parts has it, and is uncategorized if one of its parts has none.
- `isTransfer`: linked as one half of a transfer between the user's own accounts.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.models import Transaction, TransactionSplit, TransactionTag
from services.ledger.payees import service as payee_service
from services.ledger.periods import check_date
from services.ledger.tags import service as tag_service
from services.ledger.transactions.repository import Span, TransactionQuery
from services.ledger.transactions.search import compile_search
from shared.errors import BadUserInput, NotFound
from shared.money import MAX_INTEGER_DIGITS, currency_exponent
from shared.validation import clean_text

MAX_SEARCH = 200
# Ids one list of a filter may name.
MAX_FILTER_IDS = 100


class Direction(enum.Enum):
    MONEY_IN = "in"
    MONEY_OUT = "out"


@dataclass(frozen=True)
class TransactionFilter:
    """A filter as given (ids decoded, nothing checked yet)."""

    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str | None = None
    account_ids: Sequence[uuid.UUID] | None = None
    category_ids: Sequence[uuid.UUID] | None = None
    payee_ids: Sequence[uuid.UUID] | None = None
    tag_ids: Sequence[uuid.UUID] | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    direction: Direction | None = None
    pending: bool | None = None
    reviewed: bool | None = None
    uncategorized: bool | None = None
    is_transfer: bool | None = None


def is_split() -> ColumnElement[bool]:
    """The transaction has parts."""
    return exists(
        select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    )


def _part_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(TransactionSplit.id).where(
            TransactionSplit.transaction_id == Transaction.id, condition
        )
    )


async def compile_filter(
    session: AsyncSession, user_id: uuid.UUID, given: TransactionFilter, field: str = "filter"
) -> TransactionQuery:
    """Check a filter and compile it: its ids must be the user's (NOT_FOUND otherwise), its
    dates and amounts sane and its search bounded (BAD_USER_INPUT naming `field`.<name>)."""
    conditions: list[ColumnElement[bool]] = [Transaction.user_id == user_id]
    conditions += await _accounts(session, user_id, given, field)
    conditions += await _categories(session, user_id, given, field)
    conditions += _dates(given, field)
    conditions += await _amounts(session, user_id, given, field)
    if given.search is not None:
        text = clean_text(given.search, f"{field}.search", max_length=MAX_SEARCH, required=False)
        if text:
            search = await compile_search(session, user_id, text)
            # The user's rows, said in a way that lets SQLite start from few hits (search.py).
            conditions[0] = search.scope
            conditions.append(search.matching)
    if given.payee_ids is not None:
        ids = _bounded(given.payee_ids, f"{field}.payeeIds")
        await payee_service.require_payees(session, user_id, ids)
        conditions.append(Transaction.payee_id.in_(ids) if ids else false())
    if given.tag_ids is not None:
        ids = await tag_service.require_tags(session, user_id, given.tag_ids, f"{field}.tagIds")
        conditions.append(
            exists(
                select(TransactionTag.tag_id).where(
                    TransactionTag.transaction_id == Transaction.id, TransactionTag.tag_id.in_(ids)
                )
            )
            if ids
            else false()
        )
    if given.pending is not None:
        conditions.append(Transaction.pending.is_(given.pending))
    if given.reviewed is not None:
        conditions.append(Transaction.reviewed.is_(given.reviewed))
    if given.is_transfer is not None:
        linked = Transaction.transfer_counterpart_id.is_not(None)
        conditions.append(linked if given.is_transfer else not_(linked))
    return TransactionQuery(user_id=user_id, conditions=tuple(conditions), span=_span(given))


def _span(given: TransactionFilter) -> Span | None:
    """The filter as accounts, dates and one list of categories, when it says nothing else
    (checked already). Both `categoryId` and `categoryIds` ask a split transaction for a
    part in each: the monthly totals cannot tell."""
    others = (
        given.search, given.payee_ids, given.tag_ids, given.min_amount, given.max_amount,
        given.direction, given.pending, given.reviewed, given.uncategorized, given.is_transfer,
    )  # fmt: skip
    if any(value is not None for value in others):
        return None
    if given.category_id is not None and given.category_ids is not None:
        return None
    categories = [given.category_id] if given.category_id is not None else given.category_ids
    accounts: set[uuid.UUID] | None = None
    for ids in ([given.account_id] if given.account_id is not None else None, given.account_ids):
        if ids is not None:
            accounts = set(ids) if accounts is None else accounts & set(ids)
    return Span(
        tuple(sorted(accounts)) if accounts is not None else None,
        given.date_from,
        given.date_to,
        tuple(sorted(set(categories))) if categories is not None else None,
        _in_categories(categories) if categories is not None else None,
    )


def _bounded(ids: Sequence[uuid.UUID], field: str) -> list[uuid.UUID]:
    if len(ids) > MAX_FILTER_IDS:
        raise BadUserInput(field, f"must name at most {MAX_FILTER_IDS} ids")
    return list(dict.fromkeys(ids))


async def _accounts(
    session: AsyncSession, user_id: uuid.UUID, given: TransactionFilter, field: str
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if given.account_id is not None:
        await account_service.require_account(session, user_id, given.account_id)
        conditions.append(Transaction.account_id == given.account_id)
    if given.account_ids is not None:
        ids = _bounded(given.account_ids, f"{field}.accountIds")
        if len(await account_service.accounts_by_ids(session, user_id, ids)) != len(ids):
            raise NotFound("Account")
        conditions.append(Transaction.account_id.in_(ids) if ids else false())
    return conditions


async def _categories(
    session: AsyncSession, user_id: uuid.UUID, given: TransactionFilter, field: str
) -> list[ColumnElement[bool]]:
    wanted: list[list[uuid.UUID]] = []
    if given.category_id is not None:
        await category_service.require_category(session, user_id, given.category_id)
        wanted.append([given.category_id])
    if given.category_ids is not None:
        ids = _bounded(given.category_ids, f"{field}.categoryIds")
        if len(await category_service.categories_by_ids(session, user_id, ids)) != len(ids):
            raise NotFound("Category")
        wanted.append(ids)
    conditions = [_in_categories(ids) for ids in wanted]
    if given.uncategorized is not None:
        none = or_(
            and_(not_(is_split()), Transaction.category_id.is_(None)),
            _part_where(TransactionSplit.category_id.is_(None)),
        )
        conditions.append(none if given.uncategorized else not_(none))
    return conditions


def _in_categories(ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    if not ids:
        return false()
    return or_(
        and_(Transaction.category_id.in_(ids), not_(is_split())),
        _part_where(TransactionSplit.category_id.in_(ids)),
    )


def _dates(given: TransactionFilter, field: str) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if given.date_from is not None:
        conditions.append(Transaction.date >= check_date(given.date_from, f"{field}.from"))
    if given.date_to is not None:
        conditions.append(Transaction.date <= check_date(given.date_to, f"{field}.to"))
    if given.date_from and given.date_to and given.date_to < given.date_from:
        raise BadUserInput(f"{field}.to", f"must not be before {field}.from")
    return conditions


def _size(value: Decimal, field: str) -> Decimal:
    if not value.is_finite() or value < 0:
        raise BadUserInput(field, "must be zero or more (it bounds the amount's size)")
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise BadUserInput(field, "is too large")
    return value


async def _amounts(
    session: AsyncSession, user_id: uuid.UUID, given: TransactionFilter, field: str
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if given.direction is not None:
        money_in = Transaction.amount_minor > 0
        conditions.append(money_in if given.direction is Direction.MONEY_IN else not_(money_in))
    low = _size(given.min_amount, f"{field}.minAmount") if given.min_amount is not None else None
    high = _size(given.max_amount, f"{field}.maxAmount") if given.max_amount is not None else None
    if low is not None and high is not None and high < low:
        raise BadUserInput(f"{field}.maxAmount", f"must not be less than {field}.minAmount")
    if low is None and high is None:
        return conditions
    # A bound in minor units differs by currency (12.5 is 1250 cents but 13 yen at least):
    # one condition per currency the user's accounts hold.
    currencies = sorted({a.currency for a in await account_service.list_accounts(session, user_id)})
    size = func.abs(Transaction.amount_minor)
    per_currency = []
    for currency in currencies:
        exponent = currency_exponent(currency)
        bounds = [Transaction.currency == currency]
        if low is not None:
            bounds.append(size >= int(low.scaleb(exponent).to_integral_value(ROUND_CEILING)))
        if high is not None:
            bounds.append(size <= int(high.scaleb(exponent).to_integral_value(ROUND_FLOOR)))
        per_currency.append(and_(*bounds))
    conditions.append(or_(*per_currency) if per_currency else false())
    return conditions
