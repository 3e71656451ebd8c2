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
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class HistoryRow:
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

    def sort_key(self) -> tuple[str, str, str]:
        return (self.key, self.currency, self.direction.value)


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


@dataclass
class _Group:
    """One candidate series, folded as its rows go by."""

    first_date: dt.date
    last_date: dt.date
    name: str
    count: int = 1
    fits: Counter[Interval] = field(default_factory=Counter)
    last_gap_fits: Interval | None = None
    recent: deque[int] = field(default_factory=lambda: deque(maxlen=RECENT_AMOUNTS))
    anchors: Counter[int] = field(default_factory=Counter)

    def add(self, row: HistoryRow) -> None:
        self.last_gap_fits = next(
            (interval for interval in Interval if on_schedule(self.last_date, row.date, interval)),
            None,
        )
        if self.last_gap_fits is not None:
            self.fits[self.last_gap_fits] += 1
        self.count += 1
        self.last_date = row.date
        self.name = row.description


class Detector:
    """Folds rows (in date order) into groups, then answers the current series among them."""

    def __init__(self) -> None:
        self._groups: dict[SeriesIdentity, _Group] = {}

    def add(self, row: HistoryRow) -> None:
        if row.amount_minor == 0:
            return
        key = series_key(row.key_source)
        if not key:
            return
        identity = SeriesIdentity(key, row.currency, Direction.of(row.amount_minor))
        group = self._groups.get(identity)
        if group is None:
            group = self._groups[identity] = _Group(row.date, row.date, row.description)
        else:
            group.add(row)
        group.recent.append(abs(row.amount_minor))
        group.anchors[month_day(row.date)] += 1

    def series(self, today: dt.date) -> list[DetectedSeries]:
        """Every current series among the rows added, by identity."""
        found = [
            _series(identity, self._groups[identity], today)
            for identity in sorted(self._groups, key=SeriesIdentity.sort_key)
        ]
        return [series for series in found if series is not None]


def _series(identity: SeriesIdentity, group: _Group, today: dt.date) -> DetectedSeries | None:
    interval = _interval(group)
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


def _interval(group: _Group) -> Interval | None:
    if not group.fits or group.last_gap_fits is None:
        return None
    gaps = group.count - 1
    interval, fitting = group.fits.most_common(1)[0]
    minimum = MIN_YEARLY_OCCURRENCES if interval is Interval.YEARLY else MIN_OCCURRENCES
    if group.count < minimum or interval is not group.last_gap_fits:
        return None
    if fitting * FIT_DENOMINATOR < gaps * FIT_NUMERATOR:
        return None
    return interval


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
