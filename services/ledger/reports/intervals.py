"""The periods a report's range is cut into: days, ISO weeks (Monday to Sunday), calendar
months, calendar years, or the whole range. The first and last periods are clipped to the
range: a range starting on a Wednesday opens with that week's Wednesday to Sunday, labelled
with the week's ISO label all the same."""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from dataclasses import dataclass

# A report covers at most this many years (120 monthly points, 3,653 daily ones): enough for
# any chart, and it bounds what one request can ask of the database and the CPU.
MAX_REPORT_YEARS = 10


class Interval(enum.Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    WHOLE_RANGE = "whole_range"

    @property
    def needs_days(self) -> bool:
        """Whether its periods cut months (so monthly sums cannot make them)."""
        return self in (Interval.DAY, Interval.WEEK)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str  # "2026-11-26", "2026-W48", "2026-11", "2026", "2026-01-01/2026-06-30"


def _label(start: dt.date, end: dt.date, interval: Interval) -> str:
    if interval is Interval.DAY:
        return start.isoformat()
    if interval is Interval.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if interval is Interval.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if interval is Interval.YEAR:
        return f"{start.year:04d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def _next_start(day: dt.date, interval: Interval) -> dt.date:
    if interval is Interval.DAY:
        return day + dt.timedelta(days=1)
    if interval is Interval.WEEK:
        return day + dt.timedelta(days=7 - day.weekday())
    if interval is Interval.MONTH:
        return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if interval is Interval.YEAR:
        return dt.date(day.year + 1, 1, 1)
    return dt.date.max


def periods_of(date_from: dt.date, date_to: dt.date, interval: Interval) -> list[Period]:
    """Every period of the range in order, clipped to it (empty ones included)."""
    periods = []
    start = date_from
    while start <= date_to:
        following = _next_start(start, interval)
        end = (
            date_to if following == dt.date.max else min(following - dt.timedelta(days=1), date_to)
        )
        periods.append(Period(start, end, _label(start, end, interval)))
        if following == dt.date.max:
            break
        start = following
    return periods


class PeriodFinder:
    """Which period a day (or a month's first day, for a month clipped by the range) is in."""

    def __init__(self, periods: list[Period]) -> None:
        self._starts = [period.start for period in periods]
        self._first = periods[0].start

    def index_of(self, day: dt.date) -> int:
        return bisect.bisect_right(self._starts, max(day, self._first)) - 1
