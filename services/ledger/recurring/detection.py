"""Finding recurring series in a user's history, in one pass over it.

Rows arrive in date order (see repository.history_rows). Each is grouped by its series: its
key (keys.series_key), its currency and its direction (money out or money in), so that a
refund never joins the bill it refunds. A group keeps only what the rules below read, never
its rows, so memory grows with the number of series, not of transactions.

A group is a series when:

- it has at least 3 occurrences (2 for a yearly one: 18 months of history hold no more);
- one interval fits its gaps: each occurrence is compared with the date expected after the
  previous one (schedule.on_schedule, with the interval's tolerance), and at least 3 gaps in
  4 fit the interval, the most recent one included;
- its recent amounts (the last 6) are alike: each between half and twice their median, so a
  fixed subscription and a utility bill that varies with the seasons both count. With only
  2 occurrences the timing proves little, so their amounts must be within 20% of each other;
- it is current: at most one expected occurrence has been missed by today.

What it expects next is the median of those recent amounts (the mean of the middle two when
they are even in number, rounded half to even to the minor unit), with their smallest and
largest as the usual range.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter, deque
from dataclasses import dataclass
from typing import NamedTuple

from services.ledger.models import MAX_NAME
from services.ledger.recurring.keys import series_key
from services.ledger.recurring.schedule import Interval, advance, month_day, on_schedule

RECENT_AMOUNTS = 6
MIN_OCCURRENCES = 3
MIN_YEARLY_OCCURRENCES = 2
# Fits among gaps: at least FIT_NUMERATOR / FIT_DENOMINATOR of them.
FIT_NUMERATOR, FIT_DENOMINATOR = 3, 4
# Two occurrences: amounts within 20% of the larger.
PAIR_SPREAD_PERCENT = 20


class Direction(enum.Enum):
    """Which way a series moves money (the values are what the database stores)."""

    OUT = "out"  # bills, subscriptions
    IN = "in"  # salary, rent received

    @classmethod
    def of(cls, amount_minor: int) -> Direction:
        return cls.IN if amount_minor > 0 else cls.OUT


class HistoryRow(NamedTuple):
    """What detection reads of one transaction."""

    key_source: str  # what keys.series_key reads
    description: str
    currency: str
    date: dt.date
    amount_minor: int


@dataclass(frozen=True)
class SeriesIdentity:
    """What makes two detections the same series."""

    key: str
    currency: str
    direction: Direction


@dataclass(frozen=True)
class DetectedSeries:
    identity: SeriesIdentity
    name: str  # the latest occurrence's description
    interval: Interval
    anchor_day: int | None  # the day of the month (31: month's end) for month steps
    expected_minor: int  # signed like the transactions: money out negative
    smallest_minor: int  # the recent amount smallest in size, signed
    largest_minor: int  # the recent amount largest in size, signed
    occurrence_count: int
    first_date: dt.date
    last_date: dt.date


# The intervals, and for each gap in days the one whose window holds it (-1: none). Windows
# never overlap, so a gap needs checking against one interval at most; counters indexed by
# position, not by enum member, keep the one pass cheap.
_INTERVALS = tuple(Interval)


def _windows() -> list[int]:
    windows = [-1] * (max(i.gap_days[1] + i.tolerance_days for i in _INTERVALS) + 1)
    for index, interval in enumerate(_INTERVALS):
        low, high = interval.gap_days
        for gap in range(low - interval.tolerance_days, high + interval.tolerance_days + 1):
            if windows[gap] != -1:
                raise AssertionError(f"the windows of {interval} and another overlap")
            windows[gap] = index
    return windows


_WINDOW_OF_GAP = _windows()


class _Group:
    """One candidate series, folded as its rows go by: counters, never the rows."""

    __slots__ = (
        "anchors",
        "count",
        "first_date",
        "fits",
        "last_date",
        "last_fit",
        "name",
        "recent",
    )

    def __init__(self, day: dt.date, name: str) -> None:
        self.first_date = self.last_date = day
        self.name = name
        self.count = 1
        self.fits = [0] * len(_INTERVALS)  # gaps on schedule, per interval (by position)
        self.last_fit = -1  # the interval the latest gap fits (by position), -1: none
        self.recent: deque[int] = deque(maxlen=RECENT_AMOUNTS)
        self.anchors: Counter[int] = Counter()

    def add(self, day: dt.date, name: str) -> None:
        gap = (day - self.last_date).days
        fit = _WINDOW_OF_GAP[gap] if gap < len(_WINDOW_OF_GAP) else -1
        if fit >= 0 and not on_schedule(self.last_date, day, _INTERVALS[fit]):
            fit = -1
        if fit >= 0:
            self.fits[fit] += 1
        self.last_fit = fit
        self.count += 1
        self.last_date = day
        self.name = name

    def interval(self) -> Interval | None:
        """The interval at least 3 gaps in 4 fit, the latest included, with enough
        occurrences; None if there is none."""
        if self.last_fit < 0:
            return None
        interval, fitting = _INTERVALS[self.last_fit], self.fits[self.last_fit]
        minimum = MIN_YEARLY_OCCURRENCES if interval is Interval.YEARLY else MIN_OCCURRENCES
        if self.count < minimum:
            return None
        if fitting * FIT_DENOMINATOR < (self.count - 1) * FIT_NUMERATOR:
            return None
        return interval


class Detector:
    """Folds rows (in date order) into groups, then answers the current series among them."""

    def __init__(self) -> None:
        # By (series key, currency, money in?): plain tuples hash fast.
        self._groups: dict[tuple[str, str, bool], _Group] = {}

    def add(self, row: HistoryRow) -> None:
        amount = row.amount_minor
        if amount == 0:
            return
        key = series_key(row.key_source)
        if not key:
            return
        identity = (key, row.currency, amount > 0)
        group = self._groups.get(identity)
        if group is None:
            group = self._groups[identity] = _Group(row.date, row.description)
        else:
            group.add(row.date, row.description)
        group.recent.append(abs(amount))
        group.anchors[month_day(row.date)] += 1

    def series(self, today: dt.date) -> list[DetectedSeries]:
        """Every current series among the rows added, by identity."""
        found = []
        for (key, currency, money_in), group in sorted(self._groups.items(), key=_by_identity):
            direction = Direction.IN if money_in else Direction.OUT
            series = _series(SeriesIdentity(key, currency, direction), group, today)
            if series is not None:
                found.append(series)
        return found


def _by_identity(item: tuple[tuple[str, str, bool], _Group]) -> tuple[str, str, bool]:
    return item[0]


def _series(identity: SeriesIdentity, group: _Group, today: dt.date) -> DetectedSeries | None:
    interval = group.interval()
    if interval is None or not _alike(list(group.recent)):
        return None
    anchor_day = _anchor_day(group) if interval.days is None else None
    if _lapsed(group.last_date, interval, anchor_day, today):
        return None
    sign = 1 if identity.direction is Direction.IN else -1
    recent = sorted(group.recent)
    return DetectedSeries(
        identity=identity,
        name=" ".join(group.name.split())[:MAX_NAME],
        interval=interval,
        anchor_day=anchor_day,
        expected_minor=sign * median(recent),
        smallest_minor=sign * recent[0],
        largest_minor=sign * recent[-1],
        occurrence_count=group.count,
        first_date=group.first_date,
        last_date=group.last_date,
    )


def _alike(sizes: list[int]) -> bool:
    """Recent amounts (their sizes, in minor units) alike enough to be one series."""
    if len(sizes) == 2:
        small, large = sorted(sizes)
        return (large - small) * 100 <= large * PAIR_SPREAD_PERCENT
    middle = median(sorted(sizes))
    return all(size * 2 >= middle and size <= middle * 2 for size in sizes)


def _anchor_day(group: _Group) -> int:
    """The most common day of the month among the occurrences (the latest one's on a tie)."""
    latest = month_day(group.last_date)
    top = max(group.anchors.values())
    tied = {day for day, count in group.anchors.items() if count == top}
    return latest if latest in tied else max(tied)


def _lapsed(last: dt.date, interval: Interval, anchor_day: int | None, today: dt.date) -> bool:
    """More than one expected occurrence missed by today."""
    second = advance(advance(last, interval, anchor_day), interval, anchor_day)
    return today > second + dt.timedelta(days=interval.tolerance_days)


def median(sorted_sizes: list[int]) -> int:
    """The median of sorted integers, exact: the middle one, or the mean of the middle two
    rounded half to even."""
    count = len(sorted_sizes)
    middle = count // 2
    if count % 2:
        return sorted_sizes[middle]
    total = sorted_sizes[middle - 1] + sorted_sizes[middle]
    half, odd = divmod(total, 2)
    return half + 1 if odd and half % 2 else half
