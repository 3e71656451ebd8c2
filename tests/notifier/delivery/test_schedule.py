"""Quiet hours, the digest's hour and retries' backoff, in the user's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.notifier.delivery import schedule

PARIS = "Europe/Paris"


def test_quiet_hours_that_span_midnight_end_the_next_morning_where_the_user_lives() -> None:
    evening = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 in Paris (UTC+1)

    ends = schedule.quiet_until(evening, PARIS, 22 * 60, 7 * 60)

    assert ends == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 07:00 in Paris


def test_after_midnight_quiet_hours_end_the_same_morning() -> None:
    night = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 03:00 in Paris

    assert schedule.quiet_until(night, PARIS, 22 * 60, 7 * 60) == datetime(
        2026, 11, 27, 6, 0, tzinfo=UTC
    )


def test_outside_quiet_hours_nothing_waits() -> None:
    for moment in (
        datetime(2026, 11, 27, 6, 0, tzinfo=UTC),  # 07:00 in Paris: they just ended
        datetime(2026, 11, 27, 20, 59, tzinfo=UTC),  # 21:59
    ):
        assert schedule.quiet_until(moment, PARIS, 22 * 60, 7 * 60) is None
    assert schedule.quiet_until(datetime(2026, 11, 27, tzinfo=UTC), PARIS, None, None) is None


def test_quiet_hours_within_a_day() -> None:
    lunch = datetime(2026, 11, 27, 11, 30, tzinfo=UTC)  # 12:30 in Paris

    assert schedule.quiet_until(lunch, PARIS, 12 * 60, 14 * 60) == datetime(
        2026, 11, 27, 13, 0, tzinfo=UTC
    )


def test_quiet_hours_end_at_local_time_across_a_daylight_saving_change() -> None:
    # The night Paris moves from UTC+2 to UTC+1 (October 25, 2026).
    night = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)  # 23:00 summer time

    assert schedule.quiet_until(night, PARIS, 22 * 60, 7 * 60) == datetime(
        2026, 10, 25, 6, 0, tzinfo=UTC
    )  # 07:00 winter time


def test_the_digest_is_due_once_its_local_hour_came_and_once_a_day() -> None:
    before = datetime(2026, 11, 27, 6, 59, tzinfo=UTC)  # 07:59 in Paris
    at = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 08:00

    assert schedule.digest_day_due(before, PARIS, 8, None) is None
    assert schedule.digest_day_due(at, PARIS, 8, None) == date(2026, 11, 27)
    assert schedule.digest_day_due(at, PARIS, 8, date(2026, 11, 27)) is None
    assert schedule.digest_day_due(at, PARIS, None, None) is None
    assert schedule.next_digest_at(before, PARIS, 8) == at
    assert schedule.next_digest_at(at, PARIS, 8) == at + timedelta(days=1)


def test_retries_back_off_then_give_up() -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)

    waits = [schedule.retry_at(now, attempts) for attempts in range(1, schedule.MAX_ATTEMPTS + 1)]

    assert waits[:3] == [
        now + timedelta(minutes=1),
        now + timedelta(minutes=5),
        now + timedelta(minutes=30),
    ]
    assert waits[-1] is None
