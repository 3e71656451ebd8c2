"""The ledger's recurring series as the notifier's bill alerts read them ("bill due", "bill
larger than usual"). Other services reach them through services.ledger.api, which re-exports
them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.ledger.recurring import service as recurring_service
from services.ledger.recurring.detection import Direction as RecurringDirection
from services.ledger.recurring.schedule import Interval as RecurringInterval
from services.ledger.recurring.series import Series as RecurringSeries
from services.ledger.recurring.series import Status as RecurringStatus
from services.ledger.recurring.series import larger_than_usual
from shared.db import UnitOfWork
from shared.money import Money


@dataclass(frozen=True)
class RecurringSeriesView:
    """A recurring series as other services see it. Amounts are signed like transactions
    (money out negative), in the series' currency."""

    id: uuid.UUID
    name: str
    status: RecurringStatus
    direction: RecurringDirection
    interval: RecurringInterval
    # What the next occurrence should be: the user's correction, else the recent median.
    expected: Money
    # The recent occurrences (up to 6) smallest and largest in size: the usual range.
    smallest: Money
    largest: Money
    last_date: date

    def is_larger_than_usual(self, amount: Money) -> bool:
        """Whether `amount` (a transaction of the series) is larger in size than the usual
        range and the expected amount both; False for another currency or direction."""
        return larger_than_usual(amount, self.direction, self.expected, self.largest)

    @classmethod
    def of(cls, series: RecurringSeries) -> RecurringSeriesView:
        return cls(
            id=series.id,
            name=series.name,
            status=series.status,
            direction=series.direction,
            interval=series.interval,
            expected=series.expected,
            smallest=series.smallest,
            largest=series.largest,
            last_date=series.last_date,
        )


@dataclass(frozen=True)
class UpcomingBillView:
    """A payment a series expects: when, how much in its currency, and how much in the
    user's base currency (None while no exchange rate on or before the date exists)."""

    series: RecurringSeriesView
    date: date
    expected: Money
    in_base_currency: Money | None


async def upcoming_bills(
    work: UnitOfWork,
    user_id: uuid.UUID,
    within_days: int,
    *,
    today: date,
    include_suggested: bool = False,
) -> list[UpcomingBillView]:
    """Every payment the user's money-out series expect from `today` (the user's, in their
    time zone) through `within_days` - 1 days later, by date; a weekly bill appears once a
    week. Confirmed series only unless `include_suggested` (an alert should not fire on what
    the user never confirmed); dismissed ones never. The series' figures are those of the
    last detection: `last_date` says how fresh they are. Raises BadUserInput("within_days")
    outside 1..366."""
    days = recurring_service.upcoming_days(within_days, "within_days")
    bills = await recurring_service.upcoming_bills(
        work.session, user_id, today=today, days=days, include_suggested=include_suggested
    )
    return [
        UpcomingBillView(
            RecurringSeriesView.of(bill.series), bill.date, bill.expected, bill.in_base_currency
        )
        for bill in bills
    ]


async def recurring_series_of_transactions(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RecurringSeriesView]:
    """transaction id -> the series (suggested or confirmed, never dismissed) it belongs to,
    for the user's transactions among `transaction_ids` (others' ids, and transactions of no
    series, are absent). With `RecurringSeriesView.is_larger_than_usual` it tells whether a
    new bill is larger than usual."""
    found = await recurring_service.series_of_transactions(work.session, user_id, transaction_ids)
    return {row_id: RecurringSeriesView.of(series) for row_id, series in found.items()}
