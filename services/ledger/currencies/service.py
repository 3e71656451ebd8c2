"""The user's base currency, their exchange rates, and converting transactions into the base
currency.

When a transaction in another currency is written (by hand or by the bank) it is converted
at the latest rate of its currency on or before its date, and keeps that figure and rate.
Without such a rate it waits: totals leave it out and say so (MissingRate). Storing a rate
converts only what waits, so an existing figure never changes when a rate is added, replaced
or deleted; changing the base currency (or setting it again) converts everything anew.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.currencies import repository
from services.ledger.currencies.conversion import (
    MissingRate,
    Rate,
    RateBook,
    parse_rate,
    storable,
)
from services.ledger.currencies.rate_file import RateLine, read_rate_file
from services.ledger.events import announce_transactions_changed
from services.ledger.models import ExchangeRate, LedgerSettings, Transaction
from services.ledger.periods import check_date, check_range
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.pagination import Keyset, Page

DEFAULT_BASE_CURRENCY = "USD"


async def provision_user(
    work: UnitOfWork, user_id: uuid.UUID, base_currency: str | None, field: str
) -> None:
    """Give a new user their base currency (USD unless told); a user who has one keeps it."""
    code = parse_currency(base_currency or DEFAULT_BASE_CURRENCY, field)
    if await repository.settings_for(work.session, user_id) is None:
        rows.add(work.session, LedgerSettings(user_id=user_id, base_currency=code))
        await work.session.flush()


async def base_currency(session: AsyncSession, user_id: uuid.UUID) -> str:
    """What the user's budgets and reports count in."""
    settings = await repository.settings_for(session, user_id)
    return settings.base_currency if settings is not None else DEFAULT_BASE_CURRENCY


# --- converting transactions ---------------------------------------------------------------


async def convert_transactions(
    session: AsyncSession, user_id: uuid.UUID, transactions: Sequence[Transaction]
) -> None:
    """Give these (new or re-dated or re-valued) transactions their figure in the base
    currency at the rate in force on their date, or none while they wait for one. Two queries
    whatever their number (the base currency, then every rate they need)."""
    if not transactions:
        return
    # Without autoflush: new rows are inserted once, with their figure, not before it.
    with session.no_autoflush:
        await _convert(session, user_id, await base_currency(session, user_id), transactions)


async def _convert(
    session: AsyncSession, user_id: uuid.UUID, base: str, transactions: Sequence[Transaction]
) -> list[Transaction]:
    """Convert into `base`; the transactions that now have a figure."""
    foreign = [row for row in transactions if row.currency != base]
    for row in transactions:
        if row.currency == base:
            _keep_figure(row, None, None)
    if not foreign:
        return []
    book = await rates_in_force(
        session,
        user_id,
        base,
        {row.currency for row in foreign},
        min(row.date for row in foreign),
        max(row.date for row in foreign),
    )
    converted = []
    for row in foreign:
        conversion = book.convert(Money(row.amount_minor, row.currency), row.date)
        if conversion is None or not storable(conversion.money.minor, base):
            # Beyond 13 digits in the base currency, the figure waits like a missing rate.
            _keep_figure(row, None, None)
            continue
        _keep_figure(row, conversion.money, conversion.rate)
        converted.append(row)
    return converted


def _keep_figure(row: Transaction, figure: Money | None, rate: Rate | None) -> None:
    row.converted_minor = figure.minor if figure is not None else None
    row.converted_currency = figure.currency if figure is not None else None
    row.conversion_rate = rate.value if rate is not None else None
    row.conversion_rate_date = rate.date if rate is not None else None


async def rates_in_force(
    session: AsyncSession,
    user_id: uuid.UUID,
    base: str,
    currencies: set[str],
    date_from: dt.date,
    date_to: dt.date,
) -> RateBook:
    """The user's rates of these currencies into `base` that are in force on some day of the
    range, in one query."""
    if not currencies:
        return RateBook(base, ())
    found = await repository.rates_in_force(session, user_id, base, currencies, date_from, date_to)
    return RateBook(base, (_rate(row) for row in found))


def _rate(row: ExchangeRate) -> Rate:
    return Rate(row.currency, row.quote_currency, row.date, row.rate)


async def _convert_waiting(
    work: UnitOfWork, user_id: uuid.UUID, base: str, since: dict[str, dt.date]
) -> int:
    """Convert the transactions that wait for a rate of these currencies (dated from the
    earliest new rate on: older ones cannot use it); how many now have a figure."""
    waiting = await repository.unconverted_transactions(work.session, user_id, since)
    converted = await _convert(work.session, user_id, base, waiting)
    await work.session.flush()
    _announce(work, user_id, converted)
    return len(converted)


def _announce(work: UnitOfWork, user_id: uuid.UUID, changed: Sequence[Transaction]) -> None:
    # Their figures count in budgets now: the notifier re-evaluates those months.
    announce_transactions_changed(work, user_id, [r.id for r in changed], [r.date for r in changed])


# --- the base currency ---------------------------------------------------------------------


@dataclass(frozen=True)
class BaseCurrencyChange:
    base_currency: str
    converted: int  # transactions in other currencies now with a figure in it
    waiting: int  # transactions in other currencies still without one


async def set_base_currency(
    work: UnitOfWork, user_id: uuid.UUID, currency: str, field: str = "input.currency"
) -> BaseCurrencyChange:
    """Count the user's money in `currency` from now on: every transaction in another currency
    is converted anew, at the rates into it (even when the currency stays the same, which
    re-applies the stored rates). Budgets keep the currency they were set in."""
    session = work.session
    code = parse_currency(currency, field)
    settings = await repository.settings_for(session, user_id)
    if settings is None:
        settings = LedgerSettings(user_id=user_id, base_currency=code)
        rows.add(session, settings)
    settings.base_currency = code
    cleared = await repository.forget_conversions_of(session, user_id, code)
    foreign = await repository.transactions_not_in(session, user_id, code)
    before = {row.id: _figure_of(row) for row in foreign}
    converted = await _convert(session, user_id, code, foreign)
    await session.flush()
    changed = [row for row in foreign if _figure_of(row) != before[row.id]]
    announce_transactions_changed(
        work,
        user_id,
        [row.id for row in changed] + [row_id for row_id, _ in cleared],
        [row.date for row in changed] + [day for _, day in cleared],
    )
    return BaseCurrencyChange(code, converted=len(converted), waiting=len(foreign) - len(converted))


def _figure_of(row: Transaction) -> tuple[object, ...]:
    return (
        row.converted_minor,
        row.converted_currency,
        row.conversion_rate,
        row.conversion_rate_date,
    )


# --- exchange rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateChange:
    rate: ExchangeRate
    converted: int  # transactions that waited for it and now have a figure


async def set_exchange_rate(
    work: UnitOfWork, user_id: uuid.UUID, *, currency: str, date: dt.date, rate: Decimal
) -> RateChange:
    """Store what one unit of `currency` is worth in the base currency from `date` on (a rate
    already stored for that day is replaced), and convert the transactions waiting for it."""
    session = work.session
    base = await base_currency(session, user_id)
    code = _foreign_currency(currency, base, "input.currency")
    day = check_date(date, "input.date")
    value = parse_rate(rate, "input.rate")
    stored = await _store_rates(session, user_id, base, [RateLine(1, day, code, value)])
    converted = await _convert_waiting(work, user_id, base, {code: day})
    return RateChange(stored.rows[0], converted)


def _foreign_currency(currency: str, base: str, field: str) -> str:
    code = parse_currency(currency, field)
    if code == base:
        raise BadUserInput(field, f"is the base currency ({base}): its rate is always 1")
    return code


@dataclass(frozen=True)
class _Stored:
    rows: list[ExchangeRate]
    created: int


async def _store_rates(
    session: AsyncSession, user_id: uuid.UUID, base: str, lines: Sequence[RateLine]
) -> _Stored:
    """Insert each rate, or replace the one stored for its currency and day."""
    existing = {
        (row.currency, row.date): row
        for row in await repository.rates_on_dates(
            session,
            user_id,
            base,
            {line.currency for line in lines},
            min(line.date for line in lines),
            max(line.date for line in lines),
        )
    }
    stored, created = [], 0
    for line in lines:
        row = existing.get((line.currency, line.date))
        if row is None:
            row = ExchangeRate(
                user_id=user_id, currency=line.currency, quote_currency=base, date=line.date
            )
            rows.add(session, row)
            created += 1
        row.rate = line.rate
        stored.append(row)
    await session.flush()
    return _Stored(stored, created)


@dataclass(frozen=True)
class RateImport:
    created: int
    replaced: int
    converted: int


async def import_exchange_rates(
    work: UnitOfWork, user_id: uuid.UUID, csv_text: str, field: str = "input.csv"
) -> RateImport:
    """Store every rate of a CSV text (date,currency,rate; see rate_file) or none: a bad row
    is BAD_USER_INPUT naming its row and column. Then convert what waited for them."""
    base = await base_currency(work.session, user_id)
    lines = read_rate_file(csv_text, base, field)
    stored = await _store_rates(work.session, user_id, base, lines)
    since: dict[str, dt.date] = {}
    for line in lines:
        since[line.currency] = min(line.date, since.get(line.currency, line.date))
    converted = await _convert_waiting(work, user_id, base, since)
    return RateImport(stored.created, len(lines) - stored.created, converted)


async def delete_exchange_rate(work: UnitOfWork, user_id: uuid.UUID, rate_id: uuid.UUID) -> None:
    """Forget a rate. Transactions converted at it keep their figure (and the rate with it)."""
    row = await repository.rate_for_user(work.session, user_id, rate_id)
    if row is None:
        raise NotFound("ExchangeRate")
    await rows.delete(work.session, [row])


@dataclass(frozen=True)
class RatePage:
    rows: list[ExchangeRate]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return rate_cursor(self.rows[-1]) if self.rows else None


async def exchange_rate(
    session: AsyncSession, user_id: uuid.UUID, rate_id: uuid.UUID
) -> ExchangeRate:
    """One of the user's rates; NOT_FOUND for anyone else's."""
    rate = await repository.rate_for_user(session, user_id, rate_id)
    if rate is None:
        raise NotFound("ExchangeRate")
    return rate


def rate_cursor(rate: ExchangeRate) -> str:
    return Keyset(rate.date, rate.id).cursor()


async def rate_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    currency: str | None,
    first: int,
    after: str | None,
) -> RatePage:
    """A page of the user's rates (every quote currency), newest first."""
    keyset = Keyset.parse(after, dt.date.fromisoformat) if after is not None else None
    code = parse_currency(currency, "currency") if currency is not None else None
    fetched = await repository.rate_page(
        session, user_id, currency=code, after=keyset, limit=first + 1
    )
    page = Page.of(fetched, first)
    return RatePage(page.rows, page.has_next_page)


async def missing_rates(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[MissingRate]:
    """Per currency, the user's transactions (in the range, if given) that totals in the base
    currency leave out because they wait for a rate."""
    if date_from is not None:
        check_date(date_from, "from")
    if date_to is not None:
        check_date(date_to, "to")
    if date_from is not None and date_to is not None:
        check_range(date_from, date_to, from_field="from", to_field="to")
    base = await base_currency(session, user_id)
    return [
        MissingRate(currency, count, Money(total, currency), first, last)
        for currency, count, total, first, last in await repository.waiting_sums(
            session, user_id, base, date_from, date_to
        )
    ]
