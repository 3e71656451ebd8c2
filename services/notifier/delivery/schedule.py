"""When deliveries may go out, in the user's time zone: quiet hours, the daily digest's hour,
and retries' backoff. Pure functions of a UTC moment (tests freeze nothing but their input).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MINUTES_A_DAY = 24 * 60
# A failed attempt that may work later is retried after these waits, then given up (FAILED).
RETRY_BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_BACKOFF) + 1


def _minute_of_day(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


def in_quiet_hours(minute: int, start: int, end: int) -> bool:
    """Whether a local minute of the day falls in [start, end) (start > end spans midnight;
    start == end means none)."""
    if start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def quiet_until(
    now: dt.datetime, time_zone: str, start: int | None, end: int | None
) -> dt.datetime | None:
    """The UTC moment the user's quiet hours end, if `now` is inside them; None otherwise."""
    if start is None or end is None:
        return None
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    if not in_quiet_hours(_minute_of_day(local), start, end):
        return None
    end_day = local.date()
    if _minute_of_day(local) >= end:  # before midnight, in quiet hours that end tomorrow
        end_day += dt.timedelta(days=1)
    ends = dt.datetime.combine(end_day, dt.time(end // 60, end % 60), tzinfo=zone)
    return ends.astimezone(dt.UTC)


def digest_day_due(
    now: dt.datetime, time_zone: str, hour: int | None, last_sent_for: dt.date | None
) -> dt.date | None:
    """The local day whose digest is due now (its hour has come and it was not sent); None if
    the user has no digest or today's went out."""
    if hour is None:
        return None
    local = now.astimezone(ZoneInfo(time_zone))
    if local.hour < hour or last_sent_for == local.date():
        return None
    return local.date()


def next_digest_at(now: dt.datetime, time_zone: str, hour: int) -> dt.datetime:
    """The next UTC moment the daily digest goes out (today's hour if still ahead)."""
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    day = local.date() if local.hour < hour else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def retry_at(now: dt.datetime, attempts: int) -> dt.datetime | None:
    """When to try again after `attempts` attempts failed for now; None once it is time to give
    up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_BACKOFF[min(attempts, len(RETRY_BACKOFF)) - 1]
