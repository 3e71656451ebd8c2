"""How often a series recurs, and the calendar arithmetic of its dates.

Weekly and biweekly series step by days. Monthly, quarterly and yearly ones step by calendar
months and keep a day of the month (their anchor): a bill on the 31st recurs on the last day of
shorter months (30 April, 28 or 29 February) and on the 31st again when the month has one. A
date on the last day of its month anchors at 31, "the month's end", so a bill paid on 28
February, 31 March and 30 April is one month-end bill.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterator

MONTH_END = 31


class Interval(enum.Enum):
    """How often a series recurs (the values are what the database stores)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def days(self) -> int | None:
        """A fixed step in days (weekly, biweekly), or None for a step in months."""
        return _DAYS.get(self)

    @property
    def months(self) -> int:
        return _MONTHS.get(self, 0)

    @property
    def gap_days(self) -> tuple[int, int]:
        """The shortest and longest gap in days between two dates on schedule: 7; 14; 28-31
        (a calendar month); 89-92 (three); 365-366 (a year)."""
        return _GAP_DAYS[self]

    @property
    def tolerance_days(self) -> int:
        """How far an occurrence may fall from its expected date and still be on schedule:
        weekly ±2 days (gaps of 5-9 days), biweekly ±3 (11-17), monthly ±4 (24-35 days,
        since the expected gap is 28-31), quarterly ±7, yearly ±14. The windows never
        overlap, so a gap fits one interval at most."""
        return _TOLERANCE[self]


_DAYS = {Interval.WEEKLY: 7, Interval.BIWEEKLY: 14}
_MONTHS = {Interval.MONTHLY: 1, Interval.QUARTERLY: 3, Interval.YEARLY: 12}
_GAP_DAYS = {
    Interval.WEEKLY: (7, 7),
    Interval.BIWEEKLY: (14, 14),
    Interval.MONTHLY: (28, 31),
    Interval.QUARTERLY: (89, 92),
    Interval.YEARLY: (365, 366),
}
_TOLERANCE = {
    Interval.WEEKLY: 2,
    Interval.BIWEEKLY: 3,
    Interval.MONTHLY: 4,
    Interval.QUARTERLY: 7,
    Interval.YEARLY: 14,
}


def month_day(day: dt.date) -> int:
    """The day of the month a date anchors a monthly series at: its own, or MONTH_END (31)
    when it is the last day of its month."""
    if day.day >= 28 and day.day == calendar.monthrange(day.year, day.month)[1]:
        return MONTH_END
    return day.day


def add_months(day: dt.date, months: int, anchor_day: int) -> dt.date:
    """The date `months` calendar months after `day`'s month, on `anchor_day` or on the last
    day of that month when it is shorter."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(anchor_day, last))


def advance(day: dt.date, interval: Interval, anchor_day: int | None = None) -> dt.date:
    """The next date of a series after an occurrence on `day`. Month steps keep `anchor_day`
    (the day's own anchor when None)."""
    step = interval.days
    if step is not None:
        return day + dt.timedelta(days=step)
    return add_months(day, interval.months, anchor_day or month_day(day))


def on_schedule(previous: dt.date, day: dt.date, interval: Interval) -> bool:
    """Whether an occurrence on `day` is the one after `previous`, within the tolerance."""
    expected = advance(previous, interval)
    return abs((day - expected).days) <= interval.tolerance_days


def dates_between(
    last: dt.date,
    interval: Interval,
    anchor_day: int | None,
    start: dt.date,
    end: dt.date,
) -> Iterator[dt.date]:
    """The dates the series is expected on after its occurrence on `last`, from `start` to
    `end` (both included)."""
    day = advance(last, interval, anchor_day)
    while day < start:
        day = advance(day, interval, anchor_day)
    while day <= end:
        yield day
        day = advance(day, interval, anchor_day)


def next_date(last: dt.date, interval: Interval, anchor_day: int | None, today: dt.date) -> dt.date:
    """The first date the series is expected on after `last` that is today or later: an
    expected date already past without an occurrence (missed, or not yet known to the
    ledger) is not the next one."""
    return next(dates_between(last, interval, anchor_day, today, dt.date.max))
