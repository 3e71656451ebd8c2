"""Time: one clock, and aware UTC datetimes everywhere.

Every moment Tally stores or compares is an aware datetime in UTC. SQLite keeps no time zone
and hands stored moments back naive; `UTCDateTime` is the one column type that puts UTC back,
so no caller has to patch what it reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today(time_zone: str = "UTC") -> dt.date:
    """Today's date where the person lives (an IANA time zone; UTC when unknown)."""
    return utcnow().astimezone(ZoneInfo(time_zone)).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """An aware moment in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """`DateTime(timezone=True)` that refuses naive moments and always reads aware UTC ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError(f"expected an aware datetime, got {value!r}")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else as_utc(value)
