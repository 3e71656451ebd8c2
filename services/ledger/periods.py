"""Dates and calendar months as the ledger accepts them, shared by every aggregate.

A date outside EARLIEST_DATE..LATEST_DATE is a typo, not history or a plan; a month is
written "YYYY-MM".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shared.errors import BadUserInput

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str) -> Month:
        match = _MONTH.fullmatch(text)
        if not match:
            raise BadUserInput(field, 'must be a month such as "2026-11"')
        month = cls(int(match.group(1)), int(match.group(2)))
        if not 1 <= month.month <= 12:
            raise BadUserInput(field, 'must be a month such as "2026-11"')
        # The year is checked as a number: the year 0 has no date to compare (date(0, 1, 1)
        # raises ValueError, which would answer INTERNAL).
        if not EARLIEST_DATE.year <= month.year <= LATEST_DATE.year:
            raise BadUserInput(
                field, f"must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}"
            )
        return month

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(date_from: dt.date, date_to: dt.date) -> list[Month]:
    """Every calendar month the range touches, in order."""
    months = []
    month = Month(date_from.year, date_from.month)
    while month.first_day <= date_to:
        months.append(month)
        month = Month(month.year + month.month // 12, month.month % 12 + 1)
    return months


def check_date(day: dt.date, field: str) -> dt.date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise BadUserInput(field, f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return day


def check_range(
    date_from: dt.date,
    date_to: dt.date,
    *,
    from_field: str,
    to_field: str,
    max_years: int | None = None,
) -> None:
    check_date(date_from, from_field)
    check_date(date_to, to_field)
    if date_to < date_from:
        raise BadUserInput(to_field, f"must not be before {from_field}")
    if (
        max_years is not None
        and (date_to.year - date_from.year) * 12 + (date_to.month - date_from.month)
        >= max_years * 12
    ):
        raise BadUserInput(to_field, f"must be less than {max_years} years after {from_field}")
