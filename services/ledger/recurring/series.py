"""A series as the user sees it, and its verdict: the stored row read with the user's
corrections winning over what detection found."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from services.ledger.models import RecurringSeries
from services.ledger.recurring import schedule
from services.ledger.recurring.detection import Direction
from services.ledger.recurring.schedule import Interval, month_day
from shared.money import Money


class Status(enum.Enum):
    """The user's verdict on a series (the values are what the database stores)."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Series:
    """A series as the user sees it: their own name, interval and amount where they gave one,
    else what detection found."""

    id: uuid.UUID
    name: str
    status: Status
    direction: Direction
    interval: Interval
    detected_interval: Interval
    anchor_day: int | None
    expected: Money
    # The recent occurrences smallest and largest in size: what "usual" means.
    smallest: Money
    largest: Money
    occurrence_count: int
    first_date: dt.date
    last_date: dt.date
    detected_at: dt.datetime

    @classmethod
    def of(cls, row: RecurringSeries) -> Series:
        detected = Interval(row.detected_interval)
        interval = Interval(row.user_interval) if row.user_interval else detected
        anchor_day = None
        if interval.days is None:
            # A month step keeps the detected day of the month, else the last occurrence's.
            anchor_day = row.anchor_day if row.anchor_day is not None else month_day(row.last_date)
        expected = row.user_expected_minor
        return cls(
            id=row.id,
            name=row.user_name or row.name,
            status=Status(row.status),
            direction=Direction(row.direction),
            interval=interval,
            detected_interval=detected,
            anchor_day=anchor_day,
            expected=Money(expected if expected is not None else row.expected_minor, row.currency),
            smallest=Money(row.smallest_minor, row.currency),
            largest=Money(row.largest_minor, row.currency),
            occurrence_count=row.occurrence_count,
            first_date=row.first_date,
            last_date=row.last_date,
            detected_at=row.detected_at,
        )

    @property
    def currency(self) -> str:
        return self.expected.currency

    def next_date(self, today: dt.date) -> dt.date:
        """The first date it is expected on after its last occurrence, today or later."""
        return schedule.next_date(self.last_date, self.interval, self.anchor_day, today)

    def dates_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The dates it is expected on after its last occurrence, from `start` to `end`."""
        return list(
            schedule.dates_between(self.last_date, self.interval, self.anchor_day, start, end)
        )

    def is_larger_than_usual(self, amount: Money) -> bool:
        """Whether `amount` (signed like the series) is larger in size than every recent
        occurrence and than the expected amount. Another currency or direction is not
        comparable: False."""
        return larger_than_usual(amount, self.direction, self.expected, self.largest)


def larger_than_usual(amount: Money, direction: Direction, expected: Money, largest: Money) -> bool:
    """Whether `amount` is larger in size than both `largest` and `expected` of a series in
    `direction`; another currency or direction is not comparable: False."""
    if amount.currency != expected.currency or Direction.of(amount.minor) is not direction:
        return False
    return abs(amount.minor) > max(abs(largest.minor), abs(expected.minor))
