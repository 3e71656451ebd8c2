"""Recurring series: detecting them in a user's history, the user's verdict on each
(confirm, dismiss, correct, delete), the list, and the bills expected in the coming days.

Detection suggests; the user decides. A dismissed series is not suggested again unless
detection finds it recurring at another interval (a new series key is a new series anyway); a
suggestion that detection no longer finds is removed; a confirmed series stays until the user
deletes it. Nothing here changes a transaction, so nothing is announced.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.currencies import service as currency_service
from services.ledger.models import MAX_NAME, RecurringSeries
from services.ledger.recurring import repository
from services.ledger.recurring.detection import DetectedSeries, Detector, Direction
from services.ledger.recurring.keys import series_key
from services.ledger.recurring.schedule import Interval, add_months
from services.ledger.recurring.series import Series, Status
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money
from shared.pagination import Keyset, Page
from shared.validation import clean_text

HISTORY_MONTHS = 18
MIN_HISTORY_MONTHS, MAX_HISTORY_MONTHS = 3, 24
DEFAULT_UPCOMING_DAYS = 30
MAX_UPCOMING_DAYS = 366

SeriesQuery = repository.SeriesQuery


# --- detection -----------------------------------------------------------------------------


def history_months(months: int | None, field: str) -> int:
    if months is None:
        return HISTORY_MONTHS
    if not MIN_HISTORY_MONTHS <= months <= MAX_HISTORY_MONTHS:
        raise BadUserInput(
            field, f"must be between {MIN_HISTORY_MONTHS} and {MAX_HISTORY_MONTHS} months"
        )
    return months


async def detect_in_history(
    session: AsyncSession, user_id: uuid.UUID, today: dt.date, months: int = HISTORY_MONTHS
) -> list[DetectedSeries]:
    """The series current today in the user's last `months` months, read in one pass over a
    stream of their transactions (a read: run it before the unit of work that stores them, so
    no write lock is held while the history streams by, in a `read_session(in_transaction=True)`:
    a server-side cursor lives in a transaction)."""
    detector = Detector()
    since = add_months(today, -months, today.day)
    async for batch in repository.history_rows(session, user_id, since, today):
        for row in batch:
            detector.add(row)
    return detector.series(today)


@dataclass(frozen=True)
class Detection:
    """What a detection stored."""

    detected: int  # series found current
    suggested: list[Series]  # new suggestions, and dismissed series found at a new interval
    removed: int  # earlier suggestions no longer found


async def store_detection(
    work: UnitOfWork, user_id: uuid.UUID, detected: Sequence[DetectedSeries]
) -> Detection:
    """Merge a detection into the user's series: new ones are suggested, known ones take the
    new figures (the user's own corrections stay), suggestions no longer found go."""
    session = work.session
    await repository.lock_users_series(session, user_id)
    existing = {_identity(row): row for row in await repository.all_series(session, user_id)}
    suggested: list[RecurringSeries] = []
    for found in detected:
        identity = (found.identity.key, found.identity.currency, found.identity.direction.value)
        row = existing.pop(identity, None)
        if row is None:
            row = RecurringSeries(
                user_id=user_id,
                series_key=found.identity.key,
                currency=found.identity.currency,
                direction=found.identity.direction.value,
                status=Status.SUGGESTED.value,
            )
            rows.add(session, row)
            suggested.append(row)
        elif row.status == Status.DISMISSED.value and row.detected_interval != found.interval.value:
            row.status = Status.SUGGESTED.value
            suggested.append(row)
        _take_figures(row, found)
    gone = [row for row in existing.values() if row.status == Status.SUGGESTED.value]
    await session.flush()
    await rows.delete(session, gone)
    return Detection(len(detected), [Series.of(row) for row in suggested], len(gone))


def _identity(row: RecurringSeries) -> tuple[str, str, str]:
    return (row.series_key, row.currency, row.direction)


def _take_figures(row: RecurringSeries, found: DetectedSeries) -> None:
    row.name = found.name
    row.detected_interval = found.interval.value
    row.anchor_day = found.anchor_day
    row.expected_minor = found.expected_minor
    row.smallest_minor = found.smallest_minor
    row.largest_minor = found.largest_minor
    row.occurrence_count = found.occurrence_count
    row.first_date = found.first_date
    row.last_date = found.last_date
    row.detected_at = utcnow()


# --- one series: reading it, the user's verdict and corrections ----------------------------


async def require_series(
    session: AsyncSession, user_id: uuid.UUID, series_id: uuid.UUID
) -> RecurringSeries:
    row = await repository.series_for_user(session, user_id, series_id)
    if row is None:
        raise NotFound("RecurringSeries")
    return row


async def series(session: AsyncSession, user_id: uuid.UUID, series_id: uuid.UUID) -> Series:
    """One of the user's series; NOT_FOUND for anyone else's."""
    return Series.of(await require_series(session, user_id, series_id))


async def set_status(
    work: UnitOfWork, user_id: uuid.UUID, series_id: uuid.UUID, status: Status
) -> Series:
    """Confirm or dismiss a series (either, whatever it was)."""
    row = await require_series(work.session, user_id, series_id)
    row.status = status.value
    await work.session.flush()
    return Series.of(row)


class Keep(enum.Enum):
    """A correction the caller left out (as opposed to clearing it with null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class SeriesChanges:
    """The user's corrections; None goes back to what detection found."""

    name: str | Keep | None = KEEP
    interval: Interval | Keep | None = KEEP
    expected_amount: Decimal | Keep | None = KEEP


async def update_series(
    work: UnitOfWork, user_id: uuid.UUID, series_id: uuid.UUID, changes: SeriesChanges
) -> Series:
    """Correct a series' name, interval or expected amount. Correcting a suggestion accepts
    it (it becomes confirmed, so a later detection never removes the correction); a dismissed
    series stays dismissed."""
    row = await require_series(work.session, user_id, series_id)
    name = row.user_name
    if not isinstance(changes.name, Keep):
        name = _name(changes.name)
    interval = row.user_interval
    if not isinstance(changes.interval, Keep):
        interval = changes.interval.value if changes.interval is not None else None
    amount = row.user_expected_minor
    if not isinstance(changes.expected_amount, Keep):
        amount = _expected_minor(changes.expected_amount, row)
    row.user_name, row.user_interval, row.user_expected_minor = name, interval, amount
    if row.status == Status.SUGGESTED.value:
        row.status = Status.CONFIRMED.value
    await work.session.flush()
    return Series.of(row)


def _name(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value, "input.name", max_length=MAX_NAME)


def _expected_minor(value: Decimal | None, row: RecurringSeries) -> int | None:
    if value is None:
        return None
    field = "input.expectedAmount"
    minor = Money.parse(value, row.currency, field).minor
    if minor == 0:
        raise BadUserInput(field, "must not be zero")
    if Direction.of(minor).value != row.direction:
        sign = "negative (money out)" if row.direction == Direction.OUT.value else "positive"
        raise BadUserInput(field, f"must be {sign}, like the series' transactions")
    return minor


async def delete_series(work: UnitOfWork, user_id: uuid.UUID, series_id: uuid.UUID) -> None:
    """Forget a series. Detection may suggest it again; dismissing it is what stops that."""
    row = await require_series(work.session, user_id, series_id)
    await rows.delete(work.session, [row])


# --- the list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPage:
    series: list[Series]
    has_next_page: bool
    query: SeriesQuery

    @property
    def end_cursor(self) -> str | None:
        return series_cursor(self.series[-1]) if self.series else None


def series_cursor(series: Series) -> str:
    return Keyset(series.last_date, series.id).cursor()


async def series_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    status: Status | None,
    direction: Direction | None,
    first: int,
    after: str | None,
) -> SeriesPage:
    """A page of the user's series, most recently seen first."""
    keyset = Keyset.parse(after, dt.date.fromisoformat) if after is not None else None
    query = SeriesQuery(
        user_id=user_id,
        statuses=(status.value,) if status is not None else (),
        direction=direction.value if direction is not None else None,
    )
    fetched = await repository.series_page(session, query, after=keyset, limit=first + 1)
    page = Page.of(fetched, first)
    return SeriesPage([Series.of(row) for row in page.rows], page.has_next_page, query)


async def count_series(session: AsyncSession, query: SeriesQuery) -> int:
    return await repository.count_series(session, query)


# --- upcoming bills ------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingBill:
    """One expected payment of a series."""

    series: Series
    date: dt.date
    expected: Money  # in the series' currency, negative
    # In the base currency: the same when the series is in it, converted at the latest rate on
    # or before the date otherwise; None while no such rate exists.
    in_base_currency: Money | None


def upcoming_days(days: int | None, field: str) -> int:
    if days is None:
        return DEFAULT_UPCOMING_DAYS
    if not 1 <= days <= MAX_UPCOMING_DAYS:
        raise BadUserInput(field, f"must be between 1 and {MAX_UPCOMING_DAYS}")
    return days


async def upcoming_bills(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    today: dt.date,
    days: int,
    include_suggested: bool,
) -> list[UpcomingBill]:
    """Every payment the user's money-out series expect from today through `days` days later,
    by date (a weekly bill once a week): confirmed series, and suggested ones when asked.
    Three queries whatever their number: the series, the base currency, the rates."""
    statuses = [Status.CONFIRMED]
    if include_suggested:
        statuses.append(Status.SUGGESTED)
    query = SeriesQuery(
        user_id=user_id,
        statuses=tuple(status.value for status in statuses),
        direction=Direction.OUT.value,
    )
    listed = [Series.of(row) for row in await repository.listed_series(session, query)]
    end = today + dt.timedelta(days=days - 1)
    due = [(day, item) for item in listed for day in item.dates_between(today, end)]
    if not due:
        return []
    base = await currency_service.base_currency(session, user_id)
    book = await currency_service.rates_in_force(
        session, user_id, base, {item.currency for item in listed} - {base}, today, end
    )
    bills = []
    for day, item in sorted(due, key=lambda pair: (pair[0], pair[1].name, pair[1].id)):
        if item.currency == base:
            in_base: Money | None = item.expected
        else:
            conversion = book.convert(item.expected, day)
            in_base = conversion.money if conversion is not None else None
        bills.append(UpcomingBill(item, day, item.expected, in_base))
    return bills


# --- transactions and their series ---------------------------------------------------------


async def series_of_transactions(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Series]:
    """The series (not dismissed) each of the user's transactions among the ids belongs to,
    by the same key, currency and direction detection groups them by; transactions of no
    series, and other users' ids, are absent."""
    found = await repository.key_sources_of(session, user_id, list(dict.fromkeys(transaction_ids)))
    identities = {
        row_id: (series_key(source), currency, Direction.of(amount).value)
        for row_id, source, currency, amount in found
        if amount != 0
    }
    keys = {identity[0] for identity in identities.values() if identity[0]}
    if not keys:
        return {}
    by_identity = {
        _identity(row): Series.of(row)
        for row in await repository.series_with_keys(session, user_id, keys)
        if row.status != Status.DISMISSED.value
    }
    return {
        row_id: by_identity[identity]
        for row_id, identity in identities.items()
        if identity in by_identity
    }
